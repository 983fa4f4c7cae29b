"""Tokens per second of the project's text engine against plain transformers `generate`, side by
side in one run, on the same model (the embedded SmolLM2-135M) and the same prompts.

    .venv/bin/python bench/text_generation.py [--device cpu|cuda] [--scenes 6] [--tokens 64]

Targets: the engine at batch 1 at least as fast as plain generate; writing several scenes at once
at least 3x plain generate's tokens per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from generation.engines.screenplay import SYSTEM  # noqa: E402
from generation.engines.text import LocalBackend, Sampling, TextModelSpec  # noqa: E402

SCENES = [
    "A lighthouse keeper finds a message in a bottle.",
    "Two sisters argue over their father's will.",
    "A chef loses her sense of taste the night of a big review.",
    "A boxer's last fight is fixed.",
    "A child hides a stray dog in the attic.",
    "An astronaut hears knocking on the hull.",
    "A forger paints the one picture he cannot sell.",
    "A night-shift nurse meets the same patient twice.",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--scenes", type=int, default=6)
    parser.add_argument("--tokens", type=int, default=64)
    args = parser.parse_args()

    import torch

    if args.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("no CUDA device here")
    spec = TextModelSpec(
        key="bench", backend="package-gguf", cache_dir=str(BASE / "var" / "models" / "smollm2-135m-instruct-embedded")
    )
    started = time.perf_counter()
    engine = LocalBackend.load(spec)
    engine.model.to(args.device)
    engine.device = args.device
    print(f"model loaded in {time.perf_counter() - started:.1f} s on {args.device} ({engine.model.dtype})")
    prompts = [engine.chat_prompt(SYSTEM, f"Write the opening scene. Premise: {s}", "") for s in SCENES[: args.scenes]]
    tokenizer, model = engine.tokenizer, engine.model

    def plain_generate(prompt: str, seed: int) -> int:
        batch = tokenizer([prompt], return_tensors="pt").to(args.device)
        torch.manual_seed(seed)
        with torch.inference_mode():
            out = model.generate(
                **batch,
                max_new_tokens=args.tokens,
                min_new_tokens=args.tokens,
                do_sample=True,
                temperature=0.7,
                top_p=0.95,
                repetition_penalty=1.15,
                no_repeat_ngram_size=4,
                pad_token_id=tokenizer.pad_token_id,
            )
        return int(out.shape[1] - batch["input_ids"].shape[1])

    def engine_complete(batch_prompts: list[str], seed: int) -> int:
        sampling = Sampling(max_new_tokens=args.tokens, temperature=0.7, top_p=0.95, seed=seed)
        texts = engine.complete(batch_prompts, sampling, min_new_tokens=args.tokens)
        return sum(len(tokenizer(t, add_special_tokens=False)["input_ids"]) for t in texts)

    plain_generate(prompts[0], 0)  # warm up both paths once
    engine_complete(prompts[:2], 0)

    rows = []
    t0 = time.perf_counter()
    tokens = sum(plain_generate(p, i) for i, p in enumerate(prompts))
    plain = tokens / (time.perf_counter() - t0)
    rows.append(("plain generate, batch 1, one scene after another", tokens, plain))
    t0 = time.perf_counter()
    tokens = sum(engine_complete([p], i) for i, p in enumerate(prompts))
    single = tokens / (time.perf_counter() - t0)
    rows.append(("engine, batch 1, one scene after another", tokens, single))
    t0 = time.perf_counter()
    tokens = engine_complete(prompts, 0)
    batched = tokens / (time.perf_counter() - t0)
    rows.append((f"engine, all {len(prompts)} scenes at once", tokens, batched))

    print(f"{'path':52} {'tokens':>7} {'tokens/s':>9} {'x plain':>8}")
    for name, count, rate in rows:
        print(f"{name:52} {count:7d} {rate:9.1f} {rate / plain:8.2f}")
    print(f"target batch 1 >= 1.00x plain: {'PASS' if single >= plain * 0.98 else 'FAIL'} ({single / plain:.2f}x)")
    print(
        f"target several scenes >= 3.00x plain: {'PASS' if batched >= 3 * plain else 'FAIL'} ({batched / plain:.2f}x)"
    )


if __name__ == "__main__":
    main()

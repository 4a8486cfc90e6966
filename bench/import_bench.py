"""Content import benchmark: 1,000 generated Markdown files through `learnpath content import`.

    .venv/bin/python bench/import_bench.py [--files 1000] [--keep]

Writes a collection into a temporary folder - language folders (en, nl, de, ar, zh-cn) with
shared file names, so every file joins a translation group; each file has front matter, a
few hundred words, Carpentries fenced divs (challenge with a collapsed solution), a MkDocs
admonition, content tabs and highlighted code - plus a few files the import skips. Then it
creates a fresh SQLite database (`learnpath db upgrade`) and times, end to end as a user runs
it (a new process: start-up, parsing, rendering, storing, search index, commit):

1. the first `learnpath content import FOLDER` (every file created);
2. the same import again (every file unchanged).

The target (issue 17): the first import under 60 s on the 2-core machine.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "nl", "de", "ar", "zh-cn")
WORDS = {
    "en": "feedback team listen question change meeting goal clear kind work learn ask share "
          "plan step try notice person result together week".split(),
    "nl": "feedback team luisteren vraag verandering overleg doel helder werk leren vragen "
          "delen plan stap proberen merken persoon resultaat samen week".split(),
    "de": "Rückmeldung Team zuhören Frage Veränderung Besprechung Ziel klar Arbeit lernen "
          "fragen teilen Plan Schritt versuchen Person Ergebnis gemeinsam Woche".split(),
    "ar": "ملاحظات فريق استماع سؤال تغيير اجتماع هدف واضح عمل تعلم مشاركة خطة خطوة "
          "محاولة شخص نتيجة معا أسبوع".split(),
    "zh-cn": "反馈 团队 倾听 问题 变化 会议 目标 清楚 工作 学习 分享 计划 步骤 尝试 "
             "结果 一起".split(),
}


def _paragraph(rng: random.Random, language: str, words: int) -> str:
    vocabulary = WORDS[language]
    text = " ".join(rng.choice(vocabulary) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def module_text(rng: random.Random, language: str, number: int) -> str:
    p = lambda n=60: _paragraph(rng, language, n)  # noqa: E731 - a local shorthand
    return f"""---
title: Module {number} ({language})
duration: {rng.randint(3, 10)}
level: {rng.choice(["beginner", "intermediate", "advanced"])}
tags: [bench, topic-{number % 17}]
---

# Module {number} ({language})

{p(40)}

## What to do

{p()}

{p()}

::::::::::::::::::::::::::::::::::::: challenge

## Try it

{p(30)}

::::::::::::::: solution

{p(20)}

```python
def step_{number}(items):
    return [item for item in items if item]
```

:::::::::::::::

::::::::::::::::::::::::::::::::::::::::::::::::

!!! tip "Tip"
    {p(25)}

=== "Python"

    ```python
    print("module {number}")
    ```

=== "Shell"

    ```bash
    echo "module {number}"
    ```

## Further reading

{p()}
"""


def generate(folder: Path, files: int, seed: int = 17) -> None:
    rng = random.Random(seed)
    for index in range(files):
        language = LANGUAGES[index % len(LANGUAGES)]
        number = index // len(LANGUAGES)
        path = folder / language / f"module-{number:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module_text(rng, language, number), encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / ".git").mkdir(exist_ok=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")


def _learnpath(env: dict, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    # The `learnpath` command of this source tree (cwd first on sys.path), as a new process.
    command = "import sys; from learnpath.cli import main; sys.argv[0] = 'learnpath'; main()"
    result = subprocess.run([sys.executable, "-c", command, *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"learnpath {' '.join(args)} failed:\n{result.stdout[-2000:]}"
                 f"{result.stderr[-2000:]}")
    return seconds, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="learnpath-import-bench-"))
    try:
        collection = work / "collection"
        generate(collection, args.files)
        size = sum(p.stat().st_size for p in collection.rglob("*.md"))
        print(f"Generated {args.files} Markdown files ({size / 1024 / 1024:.1f} MB) in "
              f"{len(LANGUAGES)} language folders under {collection}")
        env = {**os.environ, "LEARNPATH_INSTANCE_PATH": str(work / "instance"),
               "LEARNPATH_DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
               "LEARNPATH_SEARCH_INDEX_DIR": str(work / "index")}
        env.pop("FLASK_APP", None)
        setup, _ = _learnpath(env, "db", "upgrade")
        print(f"fresh database (db upgrade): {setup:.1f} s")
        first, output = _learnpath(env, "content", "import", str(collection))
        print(f"first import:  {first:.1f} s  ({output.strip().splitlines()[-1]})")
        second, output = _learnpath(env, "content", "import", str(collection))
        print(f"second import: {second:.1f} s  ({output.strip().splitlines()[-1]})")
        print(f"target: first import of {args.files} files under 60 s: "
              f"{'met' if first < 60 else 'NOT met'} ({first / args.files * 1000:.0f} ms a file)")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

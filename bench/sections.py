"""Each benchmark owns one section of docs/performance.md, between its own markers."""

from pathlib import Path


def section_write(path: Path, section: str) -> None:
    """Put `section` (its first and last lines are its markers) in place of the old one.

    The rest of the file stays as it is; a section not there yet goes at the end.
    """
    lines = section.strip("\n").splitlines()
    begin, end = lines[0], lines[-1]
    text = path.read_text() if path.exists() else ""
    start, stop = text.find(begin), text.find(end)
    if start != -1 and stop > start:
        text = text[:start] + section.rstrip("\n") + text[stop + len(end) :]
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)

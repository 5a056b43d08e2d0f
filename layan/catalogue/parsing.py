"""Reading a definition file: YAML text -> validated ServiceDoc, or every problem in it.

Pydantic reports field paths; the composed YAML tree gives each path's line,
so an officer editing a file is told `bone/rekomendasi-kip.yaml:42: steps[3].actor: …`.
"""

from pathlib import Path

import yaml
from pydantic import ValidationError

from layan.catalogue.kinds import kind_problems
from layan.catalogue.schema import Problem, ServiceDoc, semantic_errors


def _path_text(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _split_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for chunk in path.replace("]", "").split("."):
        name, *indexes = chunk.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i) for i in indexes)
    return parts


def _line_of(root: yaml.Node | None, path: str) -> int | None:
    """The 1-based line of the deepest node the field path reaches."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in _split_path(path):
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node, line = value_node, key_node.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _expected(item: dict) -> str:
    return str(item.get("ctx", {}).get("expected", "")).replace(" or ", " atau ")


# Pydantic's error types in the words an officer editing a file reads.
_MESSAGES = {
    "missing": lambda item: "wajib diisi",
    "extra_forbidden": lambda item: "isian tidak dikenal",
    "string_type": lambda item: "harus berupa teks",
    "int_type": lambda item: "harus berupa bilangan bulat",
    "int_parsing": lambda item: "harus berupa bilangan bulat",
    "bool_type": lambda item: "harus true atau false",
    "bool_parsing": lambda item: "harus true atau false",
    "list_type": lambda item: "harus berupa daftar (list)",
    "dict_type": lambda item: "harus berupa pemetaan (key: value)",
    "model_type": lambda item: "harus berupa pemetaan (key: value)",
    "enum": lambda item: f"harus salah satu dari {_expected(item)}",
    "literal_error": lambda item: f"harus salah satu dari {_expected(item)}",
    "too_short": lambda item: "tidak boleh kosong",
    "string_too_short": lambda item: "tidak boleh kosong",
    "string_too_long": lambda item: f"terlalu panjang (maks. {item['ctx']['max_length']} karakter)",
    "greater_than_equal": lambda item: f"minimal {item['ctx']['ge']}",
    "string_pattern_mismatch": lambda item: (
        f"bentuk tidak sah: {item['input']!r} tidak cocok dengan pola {item['ctx']['pattern']}"
    ),
}


def _pydantic_problems(error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        # Drop pydantic's internal validator names (e.g. "function-before[...]").
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and "[" in p))
        describe = _MESSAGES.get(item["type"])
        message = describe(item) if describe else item["msg"].removeprefix("Value error, ")
        problems.append(Problem(path=_path_text(loc), message=message))
    return problems


def definition_parse(text: str) -> tuple[ServiceDoc | None, list[Problem]]:
    """Parse and validate one definition; the doc is None when there are problems."""
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [
            Problem(
                path="",
                message=f"YAML tidak sah: {getattr(exc, 'problem', exc)}",
                line=mark.line + 1 if mark else None,
            )
        ]
    if not isinstance(data, dict):
        return None, [Problem(path="", message="berkas harus berisi satu pemetaan (mapping) YAML")]
    try:
        doc = ServiceDoc.model_validate(data)
    except ValidationError as exc:
        problems = _pydantic_problems(exc)
    else:
        problems = semantic_errors(doc) + kind_problems(doc)
    for problem in problems:
        problem.line = _line_of(root, problem.path)
    problems.sort(key=lambda p: p.line or 0)
    return (None if problems else doc), problems


def definition_files(path: Path) -> list[Path]:
    """The definition files at a path: the file itself, or every *.yaml under a folder."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.yaml") if p.is_file())
    return [path]


def definitions_check(path: Path) -> dict[Path, list[Problem]]:
    """Every problem of every definition file at a path, keyed by file."""
    report: dict[Path, list[Problem]] = {}
    for file in definition_files(path):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            report[file] = [Problem(path="", message=f"berkas tidak dapat dibaca: {exc}")]
            continue
        report[file] = definition_parse(text)[1]
    return report

"""The command line's help is in one language: Chinese under a Chinese locale, else English.

Every command's and option's help is an English msgid (:func:`docgen.i18n.N_`) translated when
the help is shown (:mod:`docgen.cli.helptext`); click's own words in it (``Usage:``,
``Options``, ``Show this message and exit.``) follow the language too.
"""

from __future__ import annotations

import re

import click
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from docgen.cli import main
from docgen.cli.helptext import Command, Group, Option
from docgen.cn.typography import display_width
from docgen.i18n import LOCALE_DIR

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ENGLISH = {"LANG": "C", "LC_ALL": None, "LC_MESSAGES": None}
CHINESE = {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}

#: Chinese data values English help may quote: example file names, numbering labels, dates.
CHINESE_VALUES = (
    "全班评语",
    "评语",
    "通知-修正",
    "总结-修正",
    "通知",
    "总结",
    "小结",
    "（初稿）",
    "2014年1月5日",
    "“0”",
    "“零”",
    "〔〕",
    "一、1、（1）①",
    "一、（一）1.（1）",
)


def _command_paths() -> list[list[str]]:
    """The group, every command and every subcommand of a group, as the words that name them."""
    paths: list[list[str]] = [[]]
    ctx = click.Context(main, info_name="docgen")
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        paths.append([name])
        if isinstance(command, click.Group):
            sub = click.Context(command, parent=ctx, info_name=name)
            paths.extend([name, subname] for subname in command.list_commands(sub))
    return paths


PATHS = _command_paths()


def _help(path: list[str], lang: str | None, env: dict[str, str | None]) -> str:
    args = ["--lang", lang] if lang else []
    result = CliRunner().invoke(main, [*args, *path, "--help"], env=env)
    assert 0 == result.exit_code, result.output
    return result.output


def _prose(text: str) -> str:
    """*text* without its usage line and its examples (commands, paths, data)."""
    kept, in_examples = [], False
    for line in text.splitlines():
        if line.strip() in {"Examples:", "Example:", "示例：", "示例:"}:
            in_examples = True
            continue
        if in_examples and line.strip() and line.startswith("    "):
            continue
        in_examples = False
        if line.startswith(("Usage:", "用法：")):
            continue
        kept.append(line)
    return "\n".join(kept)


def _english_runs(text: str) -> list[str]:
    """Runs of 3 or more English words left in *text*'s prose.

    Option names, metavars and choices, quoted values, paths, file names, ``key:`` names and
    environment variables are not words here.
    """
    text = _prose(text)
    text = re.sub(
        r"'[^']*'|\"[^\"]*\"|\[[^\]]*\]|--?[\w-]+|\b[A-Z][A-Z0-9_/-]+\b|\S*[/\\.:=]\S*",
        " ",
        text,
    )
    return re.findall(r"\b[A-Za-z]{2,}(?:[ \t]+[A-Za-z]{2,}){2,}\b", text)


def _name(path: list[str]) -> str:
    return " ".join(["docgen", *path])


def test_every_command_is_found():
    names = {_name(p) for p in PATHS}
    assert {"docgen", "docgen render", "docgen templates", "docgen templates list"} <= names
    assert len(PATHS) >= 15


@pytest.mark.parametrize("path", PATHS, ids=_name)
def test_help_is_chinese_under_lang_zh(path):
    text = _help(path, "zh", ENGLISH)
    assert CJK.search(_prose(text)), text
    assert [] == _english_runs(text), text
    assert text.startswith("用法：")
    assert "选项：" in text  # a full-width colon after a Chinese heading
    assert "显示此帮助并退出。" in text
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "Examples:"):
        assert english not in text, text


@pytest.mark.parametrize("path", PATHS, ids=_name)
def test_help_is_english_under_lang_en(path):
    text = _help(path, "en", CHINESE)
    left = text
    for value in CHINESE_VALUES:
        left = left.replace(value, "")
    assert not CJK.search(left), left
    assert text.startswith("Usage:")
    assert "Options:" in text
    assert "Show this message and exit." in text


@pytest.mark.parametrize("path", [[], ["render"], ["templates"], ["templates", "list"]], ids=_name)
def test_a_chinese_locale_without_lang_gives_chinese_help(path):
    text = _help(path, None, CHINESE)
    assert text == _help(path, "zh", ENGLISH)
    assert [] == _english_runs(text)
    assert "用法：" in text


def test_the_environment_without_a_chinese_locale_gives_english_help():
    text = _help(["render"], None, ENGLISH)
    assert text == _help(["render"], "en", CHINESE)
    assert "Render DATA (YAML, JSON or TOML; '-' for stdin) into a Word document." in text


def test_help_is_translated_each_time_it_is_shown_not_once():
    english = _help(["fix"], "en", ENGLISH)
    chinese = _help(["fix"], "zh", ENGLISH)
    assert english != chinese
    assert english == _help(["fix"], "en", ENGLISH)
    assert chinese == _help(["fix"], "zh", ENGLISH)


@pytest.mark.parametrize(("lang", "env"), [("zh", ENGLISH), ("en", CHINESE)])
@pytest.mark.parametrize("path", [[], ["templates"]], ids=_name)
def test_a_groups_list_of_commands_gives_each_a_whole_short_help(path, lang, env):
    text = _help(path, lang, env)
    listing = text.split("命令：" if lang == "zh" else "Commands:")[1]
    rows = [line for line in listing.splitlines() if line.strip()]
    assert len(rows) >= 3
    for row in rows:
        assert not row.rstrip().endswith("..."), row
        assert bool(CJK.search(row)) == (lang == "zh"), row


@pytest.mark.parametrize("path", PATHS, ids=_name)
def test_every_command_and_option_is_made_to_translate_its_help(path):
    ctx = click.Context(main, info_name="docgen")
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(ctx, name)
        assert found is not None
        command = found
    assert isinstance(command, Group if isinstance(command, click.Group) else Command)
    assert command.help
    for param in command.params:
        if isinstance(param, click.Option):
            assert isinstance(param, Option), f"{_name(path)} {param.opts}: use helptext.option"
            assert param.help, f"{_name(path)} {param.opts} has no help"


def test_every_translated_help_keeps_its_unwrapped_blocks():
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "docgen.po").open("rb") as f:
        catalog = read_po(f, locale="zh")
    blocks = [m for m in catalog if isinstance(m.id, str) and "\b" in m.id]
    assert len(blocks) >= 10
    for message in blocks:
        assert message.id.count("\b") == message.string.count("\b"), message.id
        assert ("Examples:" in message.id or "Example:" in message.id) == (
            "示例：" in message.string
        ), message.id
        commands = [line for line in message.id.splitlines() if line.startswith("  docgen ")]
        for line in commands:  # the example commands themselves, word for word
            command = re.split(r"\s{2,}[#(]", line)[0]
            assert command in message.string, (message.id, command)


def test_the_help_quoted_in_the_docs_is_what_docgen_prints():
    page = (LOCALE_DIR.parent.parent / "docs" / "cli.md").read_text("utf-8")
    quoted = page.split("$ docgen --lang zh templates --help\n")[1].split("```")[0]
    result = CliRunner().invoke(
        main, ["--lang", "zh", "templates", "--help"], env=ENGLISH, prog_name="docgen"
    )
    assert quoted == result.output


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "docgen" for p in PATHS])
def test_chinese_help_fits_the_terminal_counting_two_columns_a_character(path):
    """click wraps by characters; a Chinese character takes two columns of a terminal."""
    text = CliRunner().invoke(main, ["--lang", "zh", *path, "--help"], terminal_width=80).output
    examples = [line for line in _prose(text).splitlines() if display_width(line) > 80]
    assert [] == examples
    assert "选项：" in text  # a Chinese heading takes a full-width colon

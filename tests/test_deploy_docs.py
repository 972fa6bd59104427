"""docs/deploy.md: its nginx block, systemd unit, commands and packages are ones that work.

* the nginx ``server`` block passes ``nginx -t`` (where nginx is installed) and agrees with the
  unit: the upload limit, the timeouts against the service's own, the port, the host name;
* the unit passes ``systemd-analyze verify`` (where systemd is installed) and, read line by line
  as systemd reads it, runs ``docgen serve`` with options the command accepts, as ``docgen``,
  hardened, with settings :class:`~docgen.web.Settings` accepts;
* every ``docgen …`` command line of the page parses (and runs, unless it is ``docgen serve``);
* the service started as the unit starts it — its environment, its token made by the page's
  own command — answers ``/healthz``, refuses ``/api/`` without the token, takes it with the
  token through the name nginx passes, trusts nginx's ``X-Forwarded-For``, and keeps its job
  folder where the unit says;
* the packages the page installs are the ones CI installs for its PDF tests.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import docgen
from docgen.cli import main
from docgen.web.settings import ENV, Settings
from tests.conftest import ROOT
from tests.docblocks import Block, blocks

PAGE = ROOT / "docs" / "deploy.md"
BLOCKS = [b for b in blocks(PAGE) if b.no_test is None]
SHELL = [b for b in BLOCKS if b.lang in {"sh", "bash", "shell"}]
DOCGEN = Path(sys.executable).with_name("docgen")  # the console script of this environment

# The packages the page installs beyond CI's font and PDF list, and CI's beyond the page's.
PAGE_ONLY_PACKAGES = {"python3-venv"}  # the service's virtual environment
# tests/test_web.py runs the page's script under Node.js; nginx -t checks the page's nginx block
CI_ONLY_PACKAGES = {"nodejs", "nginx-light", "openssl"}
# Environment lines of the unit that are not docgen settings: where it may write.
NOT_SETTINGS = {"TMPDIR", "HOME", "XDG_CACHE_HOME"}


def _block(lang: str, holding: str) -> Block:
    found = [b for b in BLOCKS if b.lang == lang and holding in b.code]
    assert 1 == len(found), f"docs/deploy.md: one ```{lang} block holding {holding!r}"
    return found[0]


NGINX = _block("nginx", "server {")
UNIT = _block("ini", "[Service]")


# --- reading the unit and the server block ------------------------------------------------


def _unit(text: str) -> dict[str, list[tuple[str, str]]]:
    """The unit's sections, each a list of (key, value), keys repeated as systemd allows.

    (configparser refuses the repeated ``Environment=`` lines a unit is made of.)
    """
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, equals, value = line.partition("=")
        assert equals, f"unit line {n}: {raw!r} is not KEY=VALUE"
        assert current is not None, f"unit line {n}: {raw!r} comes before any [Section]"
        current.append((key.strip(), value.strip()))
    return sections


SERVICE = _unit(UNIT.code)["Service"]


def _one(key: str) -> str:
    values = [v for k, v in SERVICE if k == key]
    assert 1 == len(values), f"the unit's [Service] sets {key} once (found {values})"
    return values[0]


def _environment() -> dict[str, str]:
    env: dict[str, str] = {}
    for key, value in SERVICE:
        if key == "Environment":
            for assignment in shlex.split(value):
                name, _, setting = assignment.partition("=")
                env[name] = setting
    return env


def _directives(text: str) -> dict[str, list[str]]:
    """nginx's simple directives (``name args;``), every value of each, in order."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        code = line.split("#", 1)[0].strip()
        match = re.fullmatch(r"(?P<name>\w+)\s+(?P<args>[^;{}]*);", code)
        if match:
            found.setdefault(match["name"], []).append(match["args"].strip())
    return found


def _seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(ms|s|m|h)?", value)
    assert match, f"an nginx time: {value!r}"
    return int(match[1]) * {"ms": 0.001, "s": 1, None: 1, "m": 60, "h": 3600}[match[2]]


def _bytes(value: str) -> int:
    match = re.fullmatch(r"(\d+)([kmg]?)", value.lower())
    assert match, f"an nginx size: {value!r}"
    return int(match[1]) * 1024 ** " kmg".index(match[2] or " ")


def _parse(args: list[str]) -> click.Context:
    """*args* (after ``docgen``) through click's parsers, as the command line would take them.

    Each group's options are parsed by the group, each command's by the command; nothing runs.
    Raises click.UsageError (an unknown option, a bad value) as ``docgen`` would exit 2.
    """
    command: click.Command = main
    context: click.Context | None = None
    name = "docgen"
    while True:
        if not isinstance(command, click.Group):
            return command.make_context(name, args, parent=context)
        at = next((i for i, a in enumerate(args) if a in command.commands), None)
        assert at is not None, f"`{name} {shlex.join(args)}`: no command of {name} named"
        # the command's name goes with the group's options: a group with no arguments shows help
        context = command.make_context(name, args[: at + 1], parent=context)
        name, args = args[at], args[at + 1 :]
        command = command.commands[name]


def _exec_start() -> list[str]:
    argv = shlex.split(_one("ExecStart"))
    assert argv[0].endswith("/bin/docgen"), f"ExecStart runs docgen: {argv[0]}"
    assert "serve" == argv[1]
    return argv[1:]


def _settings() -> Settings:
    """The service's settings, as ``docgen serve`` makes them from the unit."""
    serve = _parse(_exec_start())
    env = {k: v for k, v in _environment().items() if k.startswith("DOCGEN_")}
    given = {"host": serve.params["host"], "port": serve.params["port"]}
    return Settings.from_env(env, given=given)


# --- (a) nginx ---------------------------------------------------------------------------


def test_the_nginx_block_agrees_with_the_unit_and_the_service_limits() -> None:
    nginx = _directives(NGINX.code)
    settings = _settings()
    assert [f"http://127.0.0.1:{settings.port}"] == nginx["proxy_pass"]
    # nginx's body limit is docgen's, not less (nginx's HTML 413) and not more (wasted upload)
    assert settings.max_body_bytes == _bytes(nginx["client_max_body_size"][0])
    # nginx waits longer than docgen works on one answer: a render, and a whole batch
    for timeout in ("proxy_read_timeout", "proxy_send_timeout"):
        seconds = _seconds(nginx[timeout][0])
        assert seconds > settings.batch_timeout > settings.timeout, timeout
    # the name nginx passes on is one the service answers to
    names = settings.host_names()
    assert names is not None, "listening on 127.0.0.1 the service checks Host"
    for server_name in nginx["server_name"][0].split():
        assert server_name in names, f"server_name {server_name} not in the allowed hosts"
    headers = {h.split()[0]: h.split(None, 1)[1] for h in nginx["proxy_set_header"]}
    assert "$host" == headers["Host"]
    assert "$proxy_add_x_forwarded_for" == headers["X-Forwarded-For"]
    assert "$scheme" == headers["X-Forwarded-Proto"]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_the_nginx_block_passes_nginx_t(tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: no certificate for the block's ssl lines")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    certificate = ["-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subject = ["-subj", "/CN=docgen.school.example", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(
        [openssl, "req", *certificate, *subject],
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = re.sub(r"(ssl_certificate\s+)\S+;", rf"\g<1>{cert};", NGINX.code)
    server = re.sub(r"(ssl_certificate_key\s+)\S+;", rf"\g<1>{key};", server)
    assert str(cert) in server
    assert str(key) in server
    temp = " ".join(
        f"{kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{\n access_log off;\n {temp}\n uwsgi_temp_path {tmp_path / 'uwsgi'};\n"
        f" scgi_temp_path {tmp_path / 'scgi'};\n{server}}}\n",
        "utf-8",
    )
    nginx = shutil.which("nginx")
    assert nginx is not None
    command = [nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log")]
    result = subprocess.run(
        [*command, "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    assert "syntax is ok" in result.stderr


# --- (b) the systemd unit ----------------------------------------------------------------


def test_the_unit_runs_docgen_serve_as_its_own_user_hardened() -> None:
    serve = _parse(_exec_start())  # options docgen serve accepts, or click.UsageError
    assert "127.0.0.1" == serve.params["host"], "only nginx, on this machine, reaches it"
    assert "docgen" == _one("User")
    assert _one("ExecStart").startswith("/opt/docgen/venv/bin/")
    assert "on-failure" == _one("Restart")
    assert "true" == _one("NoNewPrivileges")
    assert "strict" == _one("ProtectSystem")
    assert "true" == _one("PrivateTmp")
    assert re.fullmatch(r"\d+[KMG]", _one("MemoryMax"))
    # docgen gives requests in flight GRACEFUL_SHUTDOWN s: systemd waits longer, and signals
    # docgen alone, which stops its workers itself
    from docgen.web.server import GRACEFUL_SHUTDOWN  # noqa: PLC0415 - needs only click

    assert "mixed" == _one("KillMode")
    assert int(_one("TimeoutStopSec")) > GRACEFUL_SHUTDOWN
    # every place the service writes is writable under ProtectSystem=strict
    env = _environment()
    writable = [Path(p) for p in _one("ReadWritePaths").split()]
    for name in NOT_SETTINGS:
        assert any(Path(env[name]).is_relative_to(w) for w in writable), f"{name} is read-only"
    # the job folder is emptied at start, by a command that empties exactly that folder
    find = shlex.split(_one("ExecStartPre"))
    assert ["/usr/bin/find", env["TMPDIR"], "-mindepth", "1", "-delete"] == find
    # the settings are docgen's own, with values Settings accepts
    unknown = {n for n in env if n not in NOT_SETTINGS and n not in ENV}
    assert set() == unknown
    assert env["DOCGEN_WEB_ALLOWED_HOSTS"] in (_settings().host_names() or ())
    # the token comes from the file the page's token section writes, not from the unit
    assert "DOCGEN_TOKEN" not in env
    token_file = _one("EnvironmentFile")
    assert any(token_file in b.code and "token_urlsafe" in b.code for b in BLOCKS)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_the_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    if not DOCGEN.exists():
        pytest.skip(f"no docgen console script beside {sys.executable}")
    unit = tmp_path / "docgen.service"
    # systemd checks that the programs exist: this environment's docgen stands in for the venv's
    text = re.sub(r"^ExecStart=\S+", f"ExecStart={DOCGEN}", UNIT.code, flags=re.MULTILINE)
    if not Path("/usr/bin/find").exists():
        text = text.replace("/usr/bin/find", shutil.which("find") or "/usr/bin/find")
    unit.write_text(text, "utf-8")
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None
    result = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    # systemd only warns about an unknown key or a bad value, and still exits 0
    complaints = [ln for ln in result.stderr.splitlines() if "docgen.service" in ln]
    assert [] == complaints
    assert 0 == result.returncode, result.stderr


# --- (c) every docgen command line --------------------------------------------------------


def _commands(block: Block) -> list[list[str]]:
    """A shell block's commands as words: lines joined, comments dropped, split at ``&& | ;``."""
    commands: list[list[str]] = []
    for line in re.sub(r"\\\n", " ", block.code).splitlines():
        words: list[str] = []
        for word in [*shlex.split(line, comments=True), ";"]:
            if word in {"&&", "||", "|", ";"}:
                if words:
                    commands.append(words)
                words = []
            else:
                words.append(word)
    return commands


def _command_lines() -> list[list[str]]:
    """The arguments of every command of the page that runs docgen (``sudo -u docgen …`` too)."""
    found = []
    for block in SHELL:
        for command in _commands(block):
            words = command
            if words[0] == "sudo":
                words = words[3:] if words[1:2] == ["-u"] else words[1:]
            if words[0] == "docgen" or words[0].endswith("/bin/docgen"):
                found.append(words[1:])
    return found


COMMAND_LINES = _command_lines()


def test_the_page_has_docgen_command_lines() -> None:
    assert ["fonts", "official"] in COMMAND_LINES


@pytest.mark.parametrize("args", COMMAND_LINES, ids=shlex.join)
def test_every_docgen_command_line_of_the_page_parses_and_runs(args: list[str]) -> None:
    context = _parse(args)  # click.UsageError: the page shows an option docgen does not have
    if context.command.name == "serve":
        return  # runs until stopped: started below, as the unit starts it
    result = CliRunner().invoke(main, args)
    assert 0 == result.exit_code, result.output


# --- (d) the service as the unit runs it --------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _token_file_line() -> str:
    """What the page's command writes into the token file: ``DOCGEN_TOKEN=…``."""
    for block in SHELL:
        for words in _commands(block):
            if words[:2] == ["python3", "-c"] and "DOCGEN_TOKEN=" in words[2]:
                run = [sys.executable, "-c", words[2]]
                return subprocess.run(run, capture_output=True, text=True, check=True).stdout
    raise AssertionError("docs/deploy.md: no command writes DOCGEN_TOKEN=… for the token file")


def _ask(
    url: str,
    *,
    host: str,
    token: str | None = None,
    body: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, object] | bytes]:
    """The status and the answer (JSON read) of a request with this *host* and *token*."""
    sent = {"Host": host, **(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        sent["Content-Type"] = "application/json"
        data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            status, content = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, content = error.code, error.read()
    if content[:1] == b"{":
        return status, json.loads(content)
    return status, content


def test_the_token_commands_make_tokens() -> None:
    single = next(b for b in SHELL if b.code.startswith('python3 -c "import secrets'))
    run = [sys.executable, "-c", _commands(single)[0][2]]
    token = subprocess.run(run, capture_output=True, text=True, check=True).stdout.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert re.fullmatch(r"DOCGEN_TOKEN=[A-Za-z0-9_-]{43}\n", _token_file_line())


def test_the_service_as_the_unit_starts_it_keeps_its_token(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    if not DOCGEN.exists():
        pytest.skip(f"no docgen console script beside {sys.executable}")
    # the unit's environment, /var/lib/docgen moved here, the token from the page's command
    state = tmp_path / "var-lib-docgen"
    unit_env = {k: v.replace("/var/lib/docgen", str(state)) for k, v in _environment().items()}
    jobs = Path(unit_env["TMPDIR"])
    for folder in (state, jobs, Path(unit_env["XDG_CACHE_HOME"])):
        folder.mkdir(parents=True, exist_ok=True)
    (jobs / "docgen-web-batch-left-by-a-crash").mkdir()
    name, _, token = _token_file_line().strip().partition("=")
    assert "DOCGEN_TOKEN" == name
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env.update(unit_env, DOCGEN_TOKEN=token, DOCGEN_WEB_WORKERS="1")

    find = [a.replace("/var/lib/docgen", str(state)) for a in shlex.split(_one("ExecStartPre"))]
    subprocess.run([shutil.which("find") or find[0], *find[1:]], check=True, timeout=30)
    assert [] == list(jobs.iterdir()), "ExecStartPre empties the job folder"

    port = _free_port()
    args = _exec_start()
    args[args.index("--port") + 1] = str(port)
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        service = subprocess.Popen(
            [str(DOCGEN), *args], env=env, stdout=stdout, stderr=stderr, cwd=tmp_path
        )
    base = f"http://127.0.0.1:{port}"
    server_name = _directives(NGINX.code)["server_name"][0].split()[0]
    try:
        deadline = time.monotonic() + 8
        while True:
            try:
                status, health = _ask(f"{base}/healthz", host=server_name)
                break
            except OSError:
                assert service.poll() is None, err.read_text("utf-8")
                assert time.monotonic() < deadline, "docgen serve did not answer within 8 s"
                time.sleep(0.1)
        assert 200 == status
        assert isinstance(health, dict)
        assert health["token_required"] is True
        assert 20 * 1024 * 1024 == health["max_upload_bytes"]

        api = f"{base}/api/templates"
        assert 401 == _ask(api, host=server_name)[0]
        assert 403 == _ask(api, host=server_name, token="not-" + token)[0]
        assert 200 == _ask(api, host=server_name, token=token)[0]
        # a name the unit does not allow is refused, token or not (no DNS rebinding)
        status, refusal = _ask(api, host="elsewhere.example", token=token)
        assert 403 == status
        assert isinstance(refusal, dict)
        assert "Host header" == refusal["where"]

        # the teachers' page through nginx: its Origin is the name nginx passes as Host
        status, document = _ask(
            f"{base}/api/render",
            host=server_name,
            token=token,
            body={"template": "work-summary", "data": {"title": "工作小结"}},
            headers={
                "Origin": f"https://{server_name}",
                "X-Forwarded-For": "203.0.113.7",
                "X-Forwarded-Proto": "https",
            },
        )
        assert 200 == status, document
        assert isinstance(document, bytes)
        assert document.startswith(b"PK")
        assert any(jobs.iterdir()), "the service keeps its temporary folders in TMPDIR"
    finally:
        service.send_signal(signal.SIGTERM)
        try:
            code = service.wait(timeout=15)
        except subprocess.TimeoutExpired:
            service.kill()
            raise
    log = out.read_text("utf-8") + err.read_text("utf-8")
    # uvicorn stops gracefully, then ends by the signal it was sent, which systemd counts as a
    # clean stop (Restart=on-failure does not start it again)
    assert code in {0, -signal.SIGTERM}, log
    assert "Finished server process" in log
    # nginx's X-Forwarded-For, trusted from 127.0.0.1: the log names the teacher's address
    assert '203.0.113.7:0 - "POST /api/render HTTP/1.1" 200' in log
    assert token not in log
    assert [] == list(jobs.iterdir()), "the service removes its temporary folders when it stops"


# --- (e) the packages ---------------------------------------------------------------------


def _apt_packages(text: str) -> set[str]:
    command = re.search(r"apt-get install (?P<args>(?:\\\n|[^\n])*)", text)
    assert command, "an apt-get install command"
    args = shlex.split(command["args"].replace("\\\n", " "), comments=True)
    return {a for a in args if not a.startswith(("-", ">", "$"))}


def test_the_page_installs_the_packages_ci_installs() -> None:
    page = _apt_packages(next(b.code for b in BLOCKS if "apt-get install" in b.code))
    ci = _apt_packages((ROOT / ".ci" / "run").read_text("utf-8"))
    assert "libreoffice-writer-nogui" in page
    assert ci - CI_ONLY_PACKAGES == page - PAGE_ONLY_PACKAGES


def test_the_page_is_in_the_site_and_linked() -> None:
    assert "deploy.md" in (ROOT / "mkdocs.yml").read_text("utf-8")
    for page in ("web.md", "index.md"):
        assert "(deploy.md" in (ROOT / "docs" / page).read_text("utf-8"), page


def test_the_page_installs_docgen_from_the_wheel_its_source_builds() -> None:
    """docgen is not on the package index: the page installs the wheel `pip wheel` builds."""
    import tomllib  # noqa: PLC0415

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    name = re.sub(r"[-_.]+", "_", project["name"]).lower()
    text = PAGE.read_text("utf-8")
    installs = re.findall(r"pip install (?:--upgrade )?\"([^\"]+)\"", text)
    assert installs, "the page installs docgen"
    assert all(".whl[web]" in i for i in installs), f"installed from the index: {installs}"
    assert f"/tmp/{name}-{docgen.__version__}-py3-none-any.whl[web]" == installs[0]
    assert "pip wheel --no-deps -w dist ." in text

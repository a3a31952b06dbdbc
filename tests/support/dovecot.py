"""A real IMAP server for tests: Debian's dovecot with a config of our own, on a loopback port."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = "/usr/sbin/dovecot"
LDA = "/usr/lib/dovecot/dovecot-lda"


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    config: Path | None = None  # dovecot.conf, for dovecot-lda to deliver with (-c config -d user)
    home: Path | None = None  # the user's home, where the Maildir is

    def deliver(self, raw: bytes, *, mail_location: str | None = None) -> None:
        """Deliver a message the way an MTA does, with Dovecot's own delivery agent (dovecot-lda)."""
        command = [LDA, "-c", str(self.config), "-d", self.user, "-f", "sender@example.org"]
        if mail_location:
            command += ["-o", f"mail_location={mail_location}"]
        subprocess.run(command, input=raw, check=True, timeout=30, capture_output=True)


def require_dovecot() -> None:
    if not os.path.exists(DOVECOT):
        message = "dovecot is not installed (scripts/setup.sh installs dovecot-imapd)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def run_dovecot(user: str = "qa@example.com", password: str = "imap-secret-123") -> Iterator[ImapServer]:
    """Start dovecot in a folder of its own (readable by its service users, unlike pytest's tmp_path)."""
    require_dovecot()
    root = Path(tempfile.mkdtemp(prefix="journeytest-dovecot-"))
    try:
        with _run_in(root, user, password) as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _run_in(root: Path, user: str, password: str) -> Iterator[ImapServer]:
    port = _free_port()
    for name in ("run", "state", "home", "log"):
        (root / name).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # As root, dovecot refuses to run its login processes as root: use Debian's service users.
        login_user, internal_user = "dovenull", "dovecot"
        mail_uid, mail_gid = pwd.getpwnam("dovecot").pw_uid, pwd.getpwnam("dovecot").pw_gid
        shutil.chown(root / "home", mail_uid, mail_gid)
        os.chmod(root, 0o755)
    else:
        login_user = internal_user = pwd.getpwuid(os.getuid()).pw_name
        mail_uid, mail_gid = os.getuid(), os.getgid()
    (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    os.chmod(root / "passwd", 0o644)
    config = root / "dovecot.conf"
    config.write_text(f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    if probe.recv(64).startswith(b"* OK"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "log" / "dovecot.log").read_text() if (root / "log" / "dovecot.log").exists() else ""
                raise RuntimeError(f"dovecot did not start on 127.0.0.1:{port}:\n{log[-2000:]}")
            time.sleep(0.1)
        yield ImapServer("127.0.0.1", port, user, password, config, root / "home" / user)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

"""A real SMTP server for the Recovery.Journeys.Smtp tests, on Debian's aiosmtpd (python3-aiosmtpd).

Listens on 127.0.0.1 on a port the OS picks, then prints "ready <port>" on stdout. Each accepted message is
written to the folder as <n>.eml (the raw bytes received) with <n>.json beside it (envelope and login), each
file complete before the server answers 250, so a client that got its 250 can read the files at once.

Recipients whose local part starts with "reject" are refused with 550 and "busy" with 450, for the tests of
permanent and transient failures. With --login user:password, AUTH is offered (without TLS, on loopback only)
and only that pair is accepted; a sender whose local part starts with "needs-login" must have logged in (530). The server stops when its stdin closes, so it never outlives the test run.
"""
import argparse
import asyncio
import json
import os
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if address.split("@", 1)[0].lower().startswith("needs-login") and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 Mailbox unavailable: no such user"
        if local.startswith("busy"):
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.folder, f"{self.count:05d}")
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "login": login}
        write(name + ".json", json.dumps(meta).encode())
        # The .eml is written last: a test that finds it finds its .json too.
        write(name + ".eml", envelope.original_content)
        return "250 2.0.0 Message accepted"


class CaseInsensitiveAuthSMTP(SMTP):
    """SASL mechanism names are case-insensitive (RFC 4422); System.Net.Mail sends "AUTH login", aiosmtpd 1.4 only knows "LOGIN"."""

    async def smtp_AUTH(self, arg):
        if arg:
            mechanism, _, rest = arg.partition(" ")
            arg = mechanism.upper() + (" " + rest if rest else "")
        return await super().smtp_AUTH(arg)


def write(path, data):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def authenticator_for(expected):
    user, _, password = expected.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    return authenticate


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--login", help="user:password to require when a client authenticates")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)

    handler = Handler(args.folder)
    options = {"enable_SMTPUTF8": True, "hostname": "aiosmtpd.test"}
    if args.login:
        options.update(authenticator=authenticator_for(args.login), auth_require_tls=False, auth_required=False)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: CaseInsensitiveAuthSMTP(handler, **options), host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    print(f"ready {port}", flush=True)

    await loop.run_in_executor(None, sys.stdin.buffer.read)
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())

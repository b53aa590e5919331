"""A real SMTP server for the worker tests, run as its own process: ``python smtp_server.py PORT LOG DELAY_FILE``.

It waits the number of seconds written in DELAY_FILE (read again for every message) before
accepting a message, then appends one JSON line per recipient to LOG: the Message-ID, the
recipient, the subject and the moment it accepted the message (Unix time). The test counts the
messages from LOG, so it sees what a mail server really accepted, duplicates included.
"""

import asyncio
import json
import sys
import time
from email.parser import BytesHeaderParser
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller


class SlowHandler:
    def __init__(self, log: Path, delay_file: Path):
        self.log = log
        self.delay_file = delay_file

    def delay(self) -> float:
        try:
            return float(self.delay_file.read_text() or 0)
        except (OSError, ValueError):
            return 0.0

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay())
        headers = BytesHeaderParser(policy=default).parsebytes(envelope.original_content or envelope.content)
        accepted_at = time.time()
        with self.log.open("a") as log:
            for recipient in envelope.rcpt_tos:
                line = {
                    "message_id": headers["Message-ID"],
                    "to": recipient,
                    "subject": str(headers["Subject"]),
                    "at": accepted_at,
                }
                log.write(json.dumps(line) + "\n")
        return "250 Message accepted for delivery"


def main():
    port, log, delay_file = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    controller = Controller(SlowHandler(log, delay_file), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # runs until the test closes our stdin (or ends us)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

"""Print a bearer token for a demo account, once the server at argv[1] answers.

Usage: api_token.py BASE_URL USERNAME PASSWORD
"""

import json
import sys
import time
import urllib.error
import urllib.request

WAIT_SECONDS = 60


def main() -> None:
    base, username, password = sys.argv[1:4]
    body = json.dumps({"username": username, "password": password}).encode()
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        request = urllib.request.Request(
            f"{base}/api/v1/auth/token",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                print(json.load(response)["token"])
                return
        except urllib.error.HTTPError:
            raise  # an answer (a wrong password, a broken endpoint) is not retried
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)  # gunicorn is not listening yet


if __name__ == "__main__":
    main()

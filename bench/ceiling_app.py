"""The ceiling for bench/load.py: a bare Flask "hello" app, served like the real one.

    .venv/bin/gunicorn -w 2 -k sync -b 127.0.0.1:8102 --chdir bench ceiling_app:app
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello"

"""Run Coldsweat's app on 127.0.0.1 (a free port, printed first); run by the Coldsweat venv."""

from coldsweat import create_app  # type: ignore[import-not-found,unused-ignore]
from werkzeug.serving import make_server  # type: ignore[import-not-found,unused-ignore]

server = make_server("127.0.0.1", 0, create_app(), threaded=True)
print(server.port, flush=True)
server.serve_forever()

"""TCP listeners for the driver exfiltration tests: accepts on every ADDRESS:PORT given and appends whatever any
connection sends to DIR/ADDRESS_PORT.bin (the files exist, empty, from the start); DIR/ready appears when listening."""
import os
import selectors
import signal
import socket
import sys

directory = sys.argv[1]
os.makedirs(directory, exist_ok=True)
selector = selectors.DefaultSelector()
for endpoint in sys.argv[2:]:
    host, port = endpoint.rsplit(":", 1)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, int(port)))
    server.listen(64)
    server.setblocking(False)
    name = os.path.join(directory, f"{host}_{port}.bin")
    open(name, "wb").close()
    selector.register(server, selectors.EVENT_READ, ("server", name))

running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
open(os.path.join(directory, "ready"), "w").close()
while running:
    for key, _ in selector.select(timeout=0.2):
        kind, name = key.data
        if kind == "server":
            connection, _ = key.fileobj.accept()
            connection.setblocking(False)
            selector.register(connection, selectors.EVENT_READ, ("connection", name))
        else:
            try:
                data = key.fileobj.recv(65536)
            except OSError:
                data = b""
            if data:
                with open(name, "ab") as out:
                    out.write(data)
            else:
                selector.unregister(key.fileobj)
                key.fileobj.close()

#!/usr/bin/python3
"""A minimal HTTP CONNECT proxy on 127.0.0.1 for pocgate's uplink tests.

    connect_proxy.py --port-file FILE --log FILE [--cert PEM --key PEM]

With --cert/--key the client talks TLS to the proxy itself (an https:// proxy URL); the
tunnelled connection then carries the client's own TLS to the target. Each CONNECT target is
appended to --log as one line. Only targets on 127.0.0.1 are allowed (403 otherwise).
"""
import argparse
import os
import select
import signal
import socket
import ssl
import sys
import threading


def relay(a, b):
    sockets = [a, b]
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], 30)
            if not readable:
                return
            for s in readable:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        return


def handle(client, log):
    try:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split()
        if len(parts) < 2 or parts[0] != "CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = parts[1].rpartition(":")
        if host not in ("127.0.0.1", "localhost"):
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        with open(log, "a") as f:
            f.write(parts[1] + "\n")
        upstream = socket.create_connection((host, int(port)), timeout=10)
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        relay(client, upstream)
        upstream.close()
    except OSError as error:
        print("connect_proxy: %s" % error, file=sys.stderr)
    finally:
        client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    while True:
        client, _ = listener.accept()
        if context is not None:
            try:
                client = context.wrap_socket(client, server_side=True)
            except (ssl.SSLError, OSError) as error:
                print("connect_proxy: TLS to the proxy failed: %s" % error, file=sys.stderr)
                client.close()
                continue
        threading.Thread(target=handle, args=(client, args.log), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())

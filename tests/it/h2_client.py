"""An HTTP/2 client that sends exactly the headers it is given, valid or not.

Well-behaved clients (hyper, browsers) refuse to send a Transfer-Encoding field, an upper-case
name or a CR LF inside a value over HTTP/2; an attacker's client does not. The smuggling tests
use this one, built on the h2 library with its outbound checks turned off.

usage: h2_client.py HOST PORT SERVER_NAME CA_FILE < cases.json

Each case is {"headers": [[name, value], ...], "data": "text" or null}; each is sent on a fresh
TLS connection (ALPN h2) as stream 1. One JSON line per case is printed: {"status": 400},
{"reset": error_code} or {"goaway": error_code}, plus "body" when the stream ended.
"""

import json
import socket
import ssl
import sys

import h2.config
import h2.connection
import h2.events


def run(host, port, server_name, ca_file, case):
    context = ssl.create_default_context(cafile=ca_file)
    context.set_alpn_protocols(["h2"])
    with socket.create_connection((host, port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as sock:
            if sock.selected_alpn_protocol() != "h2":
                return {"error": "h2 not negotiated"}
            config = h2.config.H2Configuration(
                client_side=True,
                header_encoding=None,
                validate_outbound_headers=False,
                normalize_outbound_headers=False,
                validate_inbound_headers=False,
            )
            conn = h2.connection.H2Connection(config=config)
            conn.initiate_connection()
            headers = [(n.encode(), v.encode()) for n, v in case["headers"]]
            data = case.get("data")
            conn.send_headers(1, headers, end_stream=data is None)
            if data is not None:
                conn.send_data(1, data.encode(), end_stream=True)
            sock.sendall(conn.data_to_send())
            result, body = {}, b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    result.setdefault("closed", True)
                    return result
                for event in conn.receive_data(chunk):
                    if isinstance(event, h2.events.ResponseReceived):
                        for name, value in event.headers:
                            if name == b":status":
                                result["status"] = int(value)
                    elif isinstance(event, h2.events.DataReceived):
                        body += event.data
                        conn.acknowledge_received_data(len(event.data), event.stream_id)
                    elif isinstance(event, h2.events.StreamEnded):
                        result["body"] = body.decode("utf-8", "replace")
                        return result
                    elif isinstance(event, h2.events.StreamReset):
                        result["reset"] = int(event.error_code)
                        return result
                    elif isinstance(event, h2.events.ConnectionTerminated):
                        result["goaway"] = int(event.error_code)
                        return result
                sock.sendall(conn.data_to_send())


def main():
    host, port, server_name, ca_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    for case in json.load(sys.stdin):
        try:
            result = run(host, port, server_name, ca_file, case)
        except (OSError, h2.exceptions.ProtocolError) as e:
            result = {"error": str(e)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

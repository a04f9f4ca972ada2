"""A real SMTP server (aiosmtpd, an RFC 5321 implementation) for the integration tests.

Every message it accepts is written as received, envelope recipients first, to DIR/NNNN.eml.
  --starttls CA     make a CA and a certificate for 127.0.0.1 now, write the CA's PEM to CA,
                    and refuse mail until the client has used STARTTLS
  --auth USER:PASS  require AUTH (over TLS) with these credentials
Prints "ready" once it listens on 127.0.0.1:PORT.
"""
import argparse
import datetime
import ipaddress
import os
import ssl
import sys
import tempfile
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Maildir:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.directory, f"{self.count:04}.eml")
        with open(path + ".part", "wb") as f:
            f.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(f"X-Tls: {'yes' if session.ssl else 'no'}\r\n".encode())
            f.write(f"X-Auth: {session.authenticated and 'yes' or 'no'}\r\n".encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".part", path)
        return "250 OK"


def certificate(ca_out):
    """A CA made now, and a certificate for 127.0.0.1 it signed; the CA's PEM goes to ca_out."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Portcullis test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    with open(ca_out, "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    work = tempfile.mkdtemp()
    cert_path, key_path = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(leaf.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert_path, key_path)
    return ctx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("directory")
    p.add_argument("--starttls")
    p.add_argument("--auth")
    a = p.parse_args()
    kwargs = {}
    if a.starttls:
        kwargs.update(tls_context=certificate(a.starttls), require_starttls=True)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def check(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok)

        kwargs.update(authenticator=check, auth_required=True, auth_require_tls=bool(a.starttls))
    controller = Controller(Maildir(a.directory), hostname="127.0.0.1", port=a.port, **kwargs)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())

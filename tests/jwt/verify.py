"""Verifies a Portcullis identity assertion the way an upstream would, with PyJWT and nothing
but the published JWK Set; then checks that the tokens upstream docs say to reject are rejected.

Usage: verify.py TOKEN JWKS_JSON AUDIENCE ISSUER PRIVATE_KEY_PEM_FILE
Exit 0 and print "ok" when every check behaves; otherwise raise.
"""
import json
import sys
import time

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

token, jwks_json, audience, issuer, key_file = sys.argv[1:6]
jwks = jwt.PyJWKSet.from_dict(json.loads(jwks_json))
kid = jwt.get_unverified_header(token)["kid"]
key = next(k for k in jwks.keys if k.key_id == kid)


def verify(t):
    return jwt.decode(t, key=key, algorithms=["EdDSA"], audience=audience, issuer=issuer,
                      options={"require": ["exp", "iat", "sub", "jti"]})


claims = verify(token)
assert claims["sub"] == "alice", claims
assert claims["exp"] - claims["iat"] <= 300, claims
assert "otp" in claims["amr"], claims
assert claims["groups"] == ["staff"], claims


def rejected(t, error):
    try:
        verify(t)
    except error:
        return
    raise AssertionError(f"accepted a token that must be refused ({error.__name__})")


now = int(time.time())
body = dict(claims, iat=now, exp=now + 60)

# Signed by another key, claiming our kid.
other = Ed25519PrivateKey.generate()
rejected(jwt.encode(body, other, algorithm="EdDSA", headers={"kid": kid}), jwt.InvalidSignatureError)

# Algorithm changed: HS256 with the public key as the HMAC secret (the classic confusion attack).
public_raw = key.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
forged = jwt.api_jws.PyJWS().encode(json.dumps(body).encode(), key=public_raw, algorithm="HS256",
                                   headers={"kid": kid})
rejected(forged, jwt.InvalidAlgorithmError)

# Expired, though signed with the real key.
with open(key_file, "rb") as f:
    real = serialization.load_pem_private_key(f.read(), password=None)
rejected(jwt.encode(dict(body, iat=now - 600, exp=now - 300), real, algorithm="EdDSA", headers={"kid": kid}),
         jwt.ExpiredSignatureError)

# Another audience.
rejected(jwt.encode(dict(body, aud="https://other.example"), real, algorithm="EdDSA", headers={"kid": kid}),
         jwt.InvalidAudienceError)

print("ok")

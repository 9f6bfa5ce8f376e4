"""GET /api/qr: the lesson link students can reach, as a QR code (decoded here with zxing-cpp)."""
from __future__ import annotations

import base64
import re
import urllib.parse

import pytest

from app import create_app
from webapp.classroom import reachable_link
from webapp.config import TestConfig, public_url


def qr_client(**settings):
    return create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, **settings}).test_client()


def ask(client, link):
    return client.get("/api/qr?" + urllib.parse.urlencode({"link": link}))


def decode_svg(data_uri: str) -> str:
    """Rasterise segno's SVG (a path of unit squares) by hand and decode it with zxing-cpp."""
    import numpy as np
    import zxingcpp

    svg = urllib.parse.unquote(data_uri.split(",", 1)[1]) if "base64" not in data_uri else base64.b64decode(
        data_uri.split(",", 1)[1]).decode()
    width, height = (int(float(v)) for v in re.search(r"viewBox=[\"']0 0 ([\d.]+) ([\d.]+)[\"']", svg).groups())
    path = re.search(r"<path[^>]*stroke=[^>]* d=[\"']([^\"']+)[\"']", svg).group(1)
    image = np.full((height, width), 255, np.uint8)
    # segno writes each dark run as "M x y h n" (moves may be relative "m"), on rows at y + 0.5.
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHhVv])\s*(-?[\d.]+)(?:[ ,]+(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        elif command in "hH":
            end = x + float(a) if command == "h" else float(a)
            image[int(y - 0.5), int(min(x, end)):int(max(x, end))] = 0
            x = end
    big = np.kron(image, np.ones((8, 8), np.uint8))
    (result,) = zxingcpp.read_barcodes(big)
    return result.text


def test_a_public_address_is_kept_and_its_code_decodes_to_it():
    client = qr_client()
    link = "https://pooling.example.edu/?mode=predict&hide=predict,padding&quiz=7"
    body = ask(client, link).get_json()
    assert body["link"] == link and body["note"] == ""
    assert decode_svg(body["image"]) == link


def test_localhost_goes_to_the_public_url_when_one_is_set():
    client = qr_client(PUBLIC_URL="http://192.168.1.20:8000")
    body = ask(client, "http://127.0.0.1:8000/?mode=predict&quiz=3").get_json()
    assert body["link"] == "http://192.168.1.20:8000/?mode=predict&quiz=3"
    assert decode_svg(body["image"]) == body["link"]


def test_localhost_without_a_reachable_address_says_how_to_make_one():
    body = ask(qr_client(HOST="127.0.0.1", PUBLIC_URL=""), "http://localhost:8000/?mode=predict").get_json()
    assert body["link"] == "http://localhost:8000/?mode=predict"
    assert "HOST=0.0.0.0 bash tools/serve.sh" in body["note"] and "PUBLIC_URL" in body["note"]


@pytest.mark.parametrize(
    ("link", "host", "lan", "expected"),
    [
        ("http://127.0.0.1:8000/?a=1", "0.0.0.0", "10.0.0.5", "http://10.0.0.5:8000/?a=1"),
        ("http://[::1]:8000/", "::", "10.0.0.5", "http://10.0.0.5:8000/"),
        ("http://localhost/", "0.0.0.0", None, "http://localhost/"),
        ("http://10.0.0.5:8000/?a=1", "127.0.0.1", None, "http://10.0.0.5:8000/?a=1"),
    ],
)
def test_reachable_link(link, host, lan, expected):
    assert reachable_link(link, "", host, lan)[0] == expected


@pytest.mark.parametrize(
    ("link", "message"),
    [("", "http or https"), ("javascript:alert(1)", "http or https"), ("http://a.example/?" + "x" * 2100, "too many")],
)
def test_a_bad_link_is_refused_with_its_field(client, link, message):
    response = ask(client, link)
    assert response.status_code == 400
    assert response.get_json()["field"] == "link" and message in response.get_json()["error"]


@pytest.mark.parametrize("value", ["ftp://a.example", "http://a.example/?q=1", "a.example", "http://a b"])
def test_public_url_refuses_what_is_not_an_address(value):
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        public_url(value)

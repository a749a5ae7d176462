"""Drawn illustrations for demo content: there are no photographs, so each story gets a
simple landscape, the same for the same seed, passed through the upload pipeline."""

import hashlib
import io
import math
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageColor, ImageDraw

from images.pipeline import clean_image

ILLUSTRATION_SIZE = WIDTH, HEIGHT = 1200, 630
SCENES = {
    # sky top, sky bottom, far hills, near hills, ground, detail
    "border": ("#5f6f80", "#e3c6a6", "#73828e", "#5b6a5f", "#9db0b5", "#2e302c"),
    "village": ("#9fb8c8", "#eceee2", "#8ea59b", "#718f62", "#8f9c5e", "#a88b6d"),
    "city": ("#3f4b63", "#d6a68a", "#5c657a", "#4d566b", "#3a4152", "#2c3242"),
    "plain": ("#b4c6d4", "#f0e1c3", "#a38f7b", "#b8a27f", "#cbb28a", "#5e5b3d"),
}


def illustration(seed: str, scene: str) -> ContentFile:
    """A muted landscape, the same for the same seed, passed through the upload pipeline."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
    sky_top, sky_bottom, far, near, ground, detail = SCENES[scene]
    image = Image.new("RGB", ILLUSTRATION_SIZE)
    draw = ImageDraw.Draw(image)
    horizon = int(HEIGHT * rng.uniform(0.55, 0.62))
    _gradient(draw, sky_top, sky_bottom, horizon)
    _ridge(draw, rng, horizon - 40, 90, far)
    _ridge(draw, rng, horizon, 40, near)
    DETAILS[scene](draw, rng, horizon, ground, detail)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return clean_image(buffer)


def _gradient(draw: ImageDraw.ImageDraw, top: str, bottom: str, height: int) -> None:
    start, end = ImageColor.getrgb(top), ImageColor.getrgb(bottom)
    for y in range(height + 60):
        share = min(y / height, 1)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(start, end, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=colour)


def _ridge(draw: ImageDraw.ImageDraw, rng: random.Random, base: int, height: int, colour):
    waves = [(rng.uniform(0, math.tau), length) for length in (260, 130, 55)]

    def y(x: int) -> float:
        return base - height * (1 + sum(math.sin(x / n + phase) for phase, n in waves) / 3) / 2

    draw.polygon(
        [(0, HEIGHT), *((x, y(x)) for x in range(0, WIDTH + 20, 20)), (WIDTH, HEIGHT)], fill=colour
    )


def _border(draw, rng, horizon, water, fence):
    """A river under the hills and a fence along the near bank."""
    draw.rectangle([0, horizon + 15, WIDTH, horizon + 75], fill=water)
    draw.rectangle([0, horizon + 75, WIDTH, HEIGHT], fill="#47523f")
    top, bottom = horizon + 140, horizon + 215
    for x in range(-20, WIDTH + 40, 70):
        draw.rectangle([x, top + rng.randint(-4, 4), x + 7, bottom], fill=fence)
    for y in (top + 12, top + 36, top + 60):
        draw.line([(0, y), (WIDTH, y + rng.randint(-6, 6))], fill=fence, width=2)


def _village(draw, rng, horizon, ground, walls):
    """Small houses with pitched roofs at the foot of the hills."""
    draw.rectangle([0, horizon + 30, WIDTH, HEIGHT], fill=ground)
    x, base = rng.randint(80, 240), horizon + 60
    while x < WIDTH - 120:
        width, height = rng.randint(60, 110), rng.randint(40, 65)
        draw.rectangle([x, base - height, x + width, base], fill=walls)
        top = base - height
        draw.polygon(
            [(x - 10, top), (x + width // 2, top - 35), (x + width + 10, top)], fill="#6f5443"
        )
        x += width + rng.randint(40, 160)


def _city(draw, rng, horizon, street, blocks):
    """Blocks of buildings with a few lit windows."""
    x = 0
    while x < WIDTH:
        width, top = rng.randint(50, 130), horizon + 40 - rng.randint(60, 240)
        draw.rectangle([x, top, x + width, HEIGHT], fill=blocks)
        windows = [
            (wx, wy)
            for wy in range(top + 20, horizon + 20, 28)
            for wx in range(x + 10, x + width - 14, 22)
        ]
        for wx, wy in windows:
            if rng.random() < 0.3:
                draw.rectangle([wx, wy, wx + 8, wy + 12], fill="#d9c08e")
        x += width + rng.randint(0, 12)
    draw.rectangle([0, horizon + 60, WIDTH, HEIGHT], fill=street)


def _plain(draw, rng, horizon, ground, trees):
    """A dry plain with a few flat-topped trees."""
    draw.rectangle([0, horizon + 20, WIDTH, HEIGHT], fill=ground)
    for _ in range(rng.randint(3, 6)):
        x, base = rng.randint(40, WIDTH - 40), horizon + rng.randint(40, 160)
        draw.line([(x, base), (x, base - 45)], fill=trees, width=5)
        draw.ellipse([x - 50, base - 70, x + 50, base - 40], fill=trees)


DETAILS = {"border": _border, "village": _village, "city": _city, "plain": _plain}

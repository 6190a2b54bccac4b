"""Images for TensorBoard: any layout -> (H, W, C) bytes -> a PNG inside a ``Summary.Image``.

``dataformats`` names the axes of what the program passes: ``"CHW"`` (torch's default for one
image), ``"HWC"``, ``"HW"`` (grey), or with a batch axis ``"NCHW"``/``"NHWC"``, whose images are
laid out side by side, 8 per row, on a black canvas. One grey channel becomes three equal ones.

Values: a ``uint8`` image is taken as 0..255; anything else as 0..1, multiplied by 255. Both are
clipped to 0..255 and truncated to whole numbers, as torch's writer does.
"""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
from tensorboard.compat.proto.summary_pb2 import Summary

from glassgrad.utils.tensorboard.summaries import as_numpy

IMAGES_PER_ROW = 8


def grid(images: np.ndarray, per_row: int = IMAGES_PER_ROW) -> np.ndarray:
    """(N, C, H, W) images -> one (C, rows*H, cols*W) picture, row by row, unused cells black."""
    n, c, h, w = images.shape
    cols = min(n, per_row)
    rows = math.ceil(n / cols)
    cells = np.zeros((rows * cols, c, h, w), dtype=images.dtype)
    cells[:n] = images
    # (rows, cols, C, H, W) -> (C, rows, H, cols, W): pixel (r*H + y, k*W + x) is image r*cols + k at (y, x)
    return cells.reshape(rows, cols, c, h, w).transpose(2, 0, 3, 1, 4).reshape(c, rows * h, cols * w)


def to_hwc(image: Any, dataformats: str) -> np.ndarray:
    """The image(s) as one (H, W, C) array with C = 3 or 4 (grey repeated into RGB), dtype kept."""
    array = as_numpy(image)
    layout = dataformats.upper()
    if len(set(layout)) != len(layout) or not set(layout) <= set("NCHW") or len(layout) < 2:
        raise ValueError(f"add_image: dataformats must name distinct axes among N, C, H, W, got {dataformats!r}")
    if array.ndim != len(layout):
        raise ValueError(f"add_image: an image of shape {array.shape} does not match dataformats {dataformats!r}")
    wanted = {4: "NCHW", 3: "CHW", 2: "HW"}[len(layout)]
    if set(layout) != set(wanted):
        raise ValueError(f"add_image: dataformats {dataformats!r} must be an order of {wanted}")
    array = array.transpose([layout.index(axis) for axis in wanted])
    if array.ndim == 2:
        array = array[None]  # (1, H, W)
    channel_axis = 1 if array.ndim == 4 else 0
    if array.shape[channel_axis] == 1:
        array = np.repeat(array, 3, axis=channel_axis)
    if array.shape[channel_axis] not in (3, 4):
        raise ValueError(f"add_image: an image needs 1, 3 or 4 channels, got {array.shape[channel_axis]} "
                         f"(shape {as_numpy(image).shape}, dataformats {dataformats!r})")
    if array.ndim == 4:
        array = grid(array)
    return array.transpose(1, 2, 0)


def to_bytes(hwc: np.ndarray) -> np.ndarray:
    """uint8 pixels: uint8 input as is, any other dtype read as 0..1 and scaled by 255; clipped, truncated."""
    scale = 1.0 if hwc.dtype == np.uint8 else 255.0
    return (hwc.astype(np.float32) * scale).clip(0, 255).astype(np.uint8)


def image_proto(hwc: np.ndarray, rescale: float = 1) -> Summary.Image:
    """(H, W, C) uint8 pixels as a PNG, resized by ``rescale`` (Lanczos) when it is not 1; needs Pillow."""
    from PIL import Image

    height, width, channels = hwc.shape
    picture = Image.fromarray(hwc)
    if rescale != 1:
        picture = picture.resize((int(width * rescale), int(height * rescale)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Summary.Image(height=height, width=width, colorspace=channels, encoded_image_string=buffer.getvalue())


def image(tag: str, image: Any, dataformats: str = "CHW", rescale: float = 1) -> Summary:
    """One picture (or a batch laid out as a grid) under ``tag``."""
    return Summary(value=[Summary.Value(tag=tag, image=image_proto(to_bytes(to_hwc(image, dataformats)), rescale))])


def figure_to_chw(figure: Any, close: bool = True) -> np.ndarray:
    """A matplotlib figure rendered to a (3, H, W) uint8 array (its RGB, alpha dropped)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())  # (H, W, 4)
    if close:
        import matplotlib.pyplot as plt

        plt.close(figure)
    return rgba[:, :, :3].transpose(2, 0, 1).copy()

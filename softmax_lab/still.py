"""A live widget that also carries a still picture, for every view without a kernel.

A notebook output can hold several representations of one object.  A live
widget's output holds the widget view (``application/vnd.jupyter.widget-view+json``)
and a ``text/plain`` line; a view without a kernel (GitHub, ``jupyter nbconvert``,
a slide deck, a static site) cannot draw the widget and falls back on the next
representation it understands.  :class:`WithStill` puts a PNG of the widget's
current state and one plain sentence into that same output, so those views show
a picture instead of a blank cell or ``VBox(children=(FloatSlider(…``:

>>> class FakeWidget:  # any ipywidgets widget works the same way
...     def _repr_mimebundle_(self, **kwargs):
...         return {"text/plain": "VBox(...)", "application/vnd.jupyter.widget-view+json": {"model_id": "x"}}
>>> png = b"\\x89PNG\\r\\n\\x1a\\n"  # (a real PNG's bytes; a matplotlib Figure works too)
>>> data, meta = WithStill(FakeWidget(), png, "Temperature slider (T = 1.0).")._repr_mimebundle_()
>>> sorted(data)
['application/vnd.jupyter.widget-view+json', 'image/png', 'text/plain']
>>> data["text/plain"]
'Temperature slider (T = 1.0). (Live controls need a running Jupyter kernel; the picture shows the stored state.)'

This module imports nothing beyond the standard library; a matplotlib Figure
passed as ``still`` is rendered with its own Agg canvas.
"""

from __future__ import annotations

import base64
import io

__all__ = ["WithStill", "with_still", "png_bytes", "KERNEL_NOTE"]

#: The one line every still picture carries (tests and templates look for it).
KERNEL_NOTE = "(Live controls need a running Jupyter kernel; the picture shows the stored state.)"


def png_bytes(still, dpi=None) -> bytes:
    """PNG bytes of ``still``: PNG bytes as given, a callable's result, or a matplotlib Figure.

    Parameters
    ----------
    still : bytes, callable returning bytes, or matplotlib.figure.Figure
    dpi : float, optional
        Resolution for a Figure (default: the figure's own).
    """
    if callable(still) and not hasattr(still, "savefig"):
        still = still()
    if isinstance(still, (bytes, bytearray)):
        data = bytes(still)
    elif hasattr(still, "savefig"):
        buf = io.BytesIO()
        still.savefig(buf, format="png", dpi=dpi if dpi is not None else "figure")
        data = buf.getvalue()
    else:
        raise TypeError(
            f"still must be PNG bytes, a callable returning them, or a matplotlib Figure; "
            f"got {type(still).__name__}."
        )
    if not data.startswith(b"\x89PNG"):
        raise ValueError("still: these bytes are not a PNG image (they do not start with the PNG signature).")
    return data


class WithStill:
    """Display ``widget`` live, with a PNG and one sentence for views without a kernel.

    Parameters
    ----------
    widget : ipywidgets.Widget
        Anything with a ``_repr_mimebundle_`` (every ipywidgets and anywidget widget).
    still : bytes, callable returning bytes, or matplotlib.figure.Figure
        The picture. A callable is called at display time, so the picture shows
        the state the widget has when the cell's output is made.
    text : str
        What the widget is, in one sentence; :data:`KERNEL_NOTE` is appended.
    dpi : float, optional
        Resolution used when ``still`` is a Figure.

    Notes
    -----
    The returned object is what the cell displays (make it the cell's last
    expression, or pass it to ``IPython.display.display``); the widget itself
    stays available as ``.widget``.
    """

    def __init__(self, widget, still, text, *, dpi=None):
        if not hasattr(widget, "_repr_mimebundle_"):
            raise TypeError(f"widget must be a Jupyter widget (with _repr_mimebundle_), got {type(widget).__name__}.")
        self.widget, self.still, self.text, self.dpi = widget, still, str(text), dpi

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude, **kwargs)
        return with_still(bundle, png_bytes(self.still, self.dpi), self.text)


def with_still(bundle, png, text):
    """Add a still picture and its sentence to a widget's display bundle; return ``(data, metadata)``.

    The one place that says how a still is stored (:class:`WithStill` and the
    stepper widget both use it): ``image/png`` holds the picture, ``text/plain``
    the sentence with :data:`KERNEL_NOTE`, and the picture's metadata the
    sentence as its alt text (nbconvert, the site and the decks read it there).
    """
    data, meta = bundle if isinstance(bundle, tuple) else (bundle, {})
    data = dict(data or {})
    data["image/png"] = base64.b64encode(png).decode("ascii")
    data["text/plain"] = f"{text} {KERNEL_NOTE}"
    meta = dict(meta or {})
    meta["image/png"] = {**meta.get("image/png", {}), "alt": str(text)}
    return data, meta

"""Draw QR codes and barcodes as 1-bit images at a printer's dot size.

Used by the ESC/POS renderer for printers without native symbols, and by the simulator to
draw what a native printer would print. Sizes are in printer dots (8 dots/mm at 203 dpi).
"""

from __future__ import annotations

import barcode
import qrcode
from barcode.writer import ImageWriter
from PIL import Image

DOTS_PER_MM = 8
QR_EC = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
         "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


def qr_image(data: str | bytes, module_dots: int, ec_level: str = "M") -> Image.Image:
    """Draw a QR code, one module = ``module_dots`` dots, with a 2-module quiet zone."""
    code = qrcode.QRCode(error_correction=QR_EC.get(ec_level, QR_EC["L"]),
                         box_size=module_dots, border=2)
    code.add_data(data)
    code.make(fit=True)
    image: Image.Image = code.make_image().get_image().convert("1")
    return image


def qr_module_for(data: str, width_dots: int, preferred: int, ec_level: str = "M") -> int:
    """Largest module size <= ``preferred`` at which the QR (and its quiet zone) fits."""
    code = qrcode.QRCode(error_correction=QR_EC.get(ec_level, QR_EC["L"]))
    code.add_data(data)
    code.make(fit=True)
    version: int = code.version
    modules = 17 + 4 * version + 4  # symbol plus a 2-module quiet zone each side
    return max(1, min(preferred, width_dots // modules))


def code128_fits(data: str, module_dots: int, width_dots: int) -> bool:
    """Tell whether a Code128 (set B) of ``data`` fits across the paper with quiet zones."""
    modules = 11 * (len(data) + 3) + 2 + 20  # start, data, check, stop + 10-module zones
    return modules * module_dots <= width_dots


def barcode_image(symbology: str, data: str, module_dots: int, height_dots: int,
                  text_below: bool = True) -> Image.Image:
    """Draw a linear barcode; raises ValueError if ``data`` does not fit the symbology."""
    # python-barcode truncates mm -> px, so nudge the width up or 2 dots become 1.
    options = {"module_width": (module_dots + 0.01) / DOTS_PER_MM,
               "module_height": height_dots / DOTS_PER_MM, "quiet_zone": 2.0,
               "dpi": DOTS_PER_MM * 25.4, "font_size": 10, "text_distance": 4.0,
               "write_text": text_below}
    try:
        kind = barcode.get_barcode_class(symbology.lower().replace("-", ""))
        drawn: Image.Image = kind(data, writer=ImageWriter()).render(writer_options=options)
    except barcode.errors.BarcodeError as err:
        raise ValueError(f"cannot draw {symbology} {data!r}: {err}") from err
    return drawn.convert("1")

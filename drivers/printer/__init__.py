"""Receipt printer: ESC/POS over python-escpos, with a simulator that renders receipts.

Modules: ``receipt`` (the model), ``layout`` (blocks shared by paper and screen),
``escpos_render`` (ESC/POS bytes), ``profile`` (capabilities + site config), ``status``
(DLE EOT bytes -> meaning), ``connection`` (python-escpos transports, error wrapping),
``driver`` (:class:`EscposReceiptPrinter`), ``base`` (Protocol and print errors),
``diagnose`` (``kiosk doctor`` and the test print), ``simulator/`` (a printer to test with).
"""

from drivers.printer import capabilities_cache

capabilities_cache.prepare()  # before any module here imports python-escpos

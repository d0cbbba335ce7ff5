"""Every receipt the kiosk hands out, and the one way it reaches paper.

A receipt is a :class:`drivers.printer.receipt.Receipt`, built here from what the service
knows: ``payment`` (a card payment, from its journal row), ``request`` (a procedure request,
with the case number or a provisional reference), ``status`` (a case's status slip) and
``technician`` (the test print). ``verification`` builds the URL in every receipt's QR code;
``printing`` is the only print path (printed, not printed, and the job to reprint);
``wording`` holds the texts and header all receipts share.
"""

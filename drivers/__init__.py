"""Hardware drivers, one package per device class (e-ID reader, printer, payment terminal)."""

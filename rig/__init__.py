"""What the tests and the benches share to drive the kiosk; the product never imports it.

The simulated parts themselves are product code (kiosk/simulated/, since ``kiosk demo``
ships them); here are the tools around them: the kiosk app under remote control
(``harness`` + ``app_runner``), configuration files, the cached catalog, socat serial
pairs, a faulty link to the API, waits, and the search queries with their answers.
"""

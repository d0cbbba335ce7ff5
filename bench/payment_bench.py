"""Protocol round-trip of one card sale: our Transbank driver vs the vendor SDK.

Both clients run the same sale (with intermediate messages) against the same simulator on
a pseudo-terminal; the simulator thinks for zero seconds and spends real 8N1 wire time
(10 bits per byte) at 9600 and 115200 baud, so the figures are line time + client
overhead. "overhead" subtracts the wire time of the bytes the sale exchanges, which no
client can avoid. The vendor SDK (transbank-pos-sdk) waits for data by sleeping 200 ms
between checks; ours blocks in the serial read until the bytes arrive.
Set BENCH_RUNS to change the number of sales per case (default 10).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

from transbank.POS.POSIntegrado import POSIntegrado

from drivers.payment import transbank_messages as msg
from drivers.payment.framing import encode_frame
from drivers.payment.simulator import PtyDevicePort, TerminalSimulator
from drivers.payment.transbank import TransbankTerminal

RUNS = int(os.environ.get("BENCH_RUNS", "10"))
BAUDRATES = (9600, 115200)
AMOUNT_PESOS = 15_000


def wire_bytes(ticket: int) -> int:
    """Bytes one sale puts on the line: command, 3 progress frames, answer, 5 ACKs."""
    command = encode_frame(msg.sale_command(AMOUNT_PESOS * 100, ticket))
    progress = 3 * len(encode_frame(b"0900|78|"))
    answer = len(encode_frame(b"0210|00|597029414300|SIM00001|000001|007919|15000|00|0|4243|"
                              b"000001|DB|000000|  ************4242    |DB|21112026|201500||0|"))
    return len(command) + progress + answer + 5


def ours(port: str, baudrate: int) -> Callable[[int], None]:
    driver = TransbankTerminal(port, baudrate=baudrate, ack_timeout_s=2, response_timeout_s=10)

    def sale(ticket: int) -> None:
        assert driver.sale(AMOUNT_PESOS * 100, ticket, lambda _: None).approved
    return sale


def vendor(port: str, baudrate: int) -> Callable[[int], None]:
    pos = POSIntegrado()
    pos.open_port(port, baudrate)

    def sale(ticket: int) -> None:
        assert pos.sale(AMOUNT_PESOS, f"{ticket:06d}", True, lambda _: None)["success"]
    return sale


def measure(client: Callable[[str, int], Callable[[int], None]], baudrate: int) -> list[float]:
    """Return the seconds of each of RUNS sales (after one warm-up sale)."""
    port = PtyDevicePort(baudrate)
    simulator = TerminalSimulator(port, think_s=0.0).start()
    try:
        sale = client(port.kiosk_path, baudrate)
        sale(1)
        times = []
        for ticket in range(2, RUNS + 2):
            started = time.perf_counter()
            sale(ticket)
            times.append(time.perf_counter() - started)
        return times
    finally:
        simulator.stop()


def main() -> None:
    """Print median and worst sale round-trip and overhead per client and line speed."""
    print(f"{RUNS} sales per case; overhead = round-trip - wire time of the exchanged bytes")
    print(f"{'baud':>7} {'client':<12} {'median ms':>10} {'max ms':>8} {'wire ms':>8} "
          f"{'overhead ms':>12}")
    for baudrate in BAUDRATES:
        wire_s = wire_bytes(1) * 10 / baudrate
        medians = {}
        for name, client in (("ours", ours), ("vendor SDK", vendor)):
            times = measure(client, baudrate)
            medians[name] = statistics.median(times)
            print(f"{baudrate:>7} {name:<12} {medians[name] * 1000:>10.1f} "
                  f"{max(times) * 1000:>8.1f} {wire_s * 1000:>8.1f} "
                  f"{(medians[name] - wire_s) * 1000:>12.1f}")
        print(f"{baudrate:>7} vendor SDK / ours: {medians['vendor SDK'] / medians['ours']:.1f}x "
              f"slower per sale")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""A real, third-party Modbus TCP server for the transport's interop tests: pymodbus 3.0 (Debian's
python3-pymodbus; run it with /usr/bin/python3, not a pyenv python).

    /usr/bin/python3 pymodbus_server.py --port PORT [--one-off]

Listens on 127.0.0.1:PORT only and prints "ready 127.0.0.1:PORT" on stdout once it accepts connections.

Register values (protocol addresses, as a request names them):
    holding 0..9: 0x1234 0xABCD 0x0000 0xFFFF 0x8000 0x7FFF 0x0102 0x0304 0x0506 0x0708
    input   0..3: 0x4948 0x2B00 0xBEEF 0x0001
Reading past them (holding 10, input 4) answers exception 2, illegal data address.

Addressing: pymodbus' slave context adds 1 to every request address unless zero_mode is set, so a
data block that starts at 0 would answer request address 0 with its *second* value (the one-off of
PLC manuals, where "register 40001" is protocol address 0). This server sets zero_mode=True, so
protocol address N reads value N. With --one-off it keeps pymodbus' default (zero_mode=False) and
puts the values in blocks that start at 1, which serves the same registers the other way round.
"""
import argparse
import asyncio
import logging
import sys
import types

# pymodbus.server imports pyserial at module level even for TCP. scripts/setup installs python3-pymodbus
# without its Recommends, so pyserial may be missing; the TCP server never touches it, so empty stand-ins do.
try:
    import serial  # noqa: F401
    import serial_asyncio  # noqa: F401
except ImportError:
    sys.modules.setdefault("serial", types.ModuleType("serial"))
    stand_in = types.ModuleType("serial_asyncio")
    stand_in.create_serial_connection = None
    sys.modules["serial_asyncio"] = stand_in

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer

HOLDING = [0x1234, 0xABCD, 0x0000, 0xFFFF, 0x8000, 0x7FFF, 0x0102, 0x0304, 0x0506, 0x0708]
INPUT = [0x4948, 0x2B00, 0xBEEF, 0x0001]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--one-off", action="store_true")
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    start = 1 if options.one_off else 0
    slave = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(start, list(HOLDING)),
        ir=ModbusSequentialDataBlock(start, list(INPUT)),
        zero_mode=not options.one_off,
    )
    context = ModbusServerContext(slaves=slave, single=True)
    server = await StartAsyncTcpServer(context=context, address=("127.0.0.1", options.port), defer_start=True)
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    print(f"ready 127.0.0.1:{options.port}", flush=True)
    await serving


asyncio.run(main())

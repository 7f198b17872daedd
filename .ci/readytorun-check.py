#!/usr/bin/env python3
"""Exits 0 when every assembly named on the command line carries ReadyToRun code, 1 (naming it) otherwise.

An assembly is ReadyToRun when its CLI header points at a managed native header that starts with the 'RTR'
signature (what crossgen2 writes); a plain IL assembly has no such header.
"""
import struct
import sys

READY_TO_RUN_SIGNATURE = 0x00525452  # 'RTR\0'


def is_ready_to_run(path):
    image = open(path, 'rb').read()
    pe = struct.unpack_from('<I', image, 0x3C)[0]
    sections, = struct.unpack_from('<H', image, pe + 6)
    optional_size, = struct.unpack_from('<H', image, pe + 20)
    magic, = struct.unpack_from('<H', image, pe + 24)
    directories = pe + 24 + (96 if magic == 0x10B else 112)
    cli_rva, _ = struct.unpack_from('<II', image, directories + 14 * 8)
    section_table = pe + 24 + optional_size

    def file_offset(rva):
        for i in range(sections):
            virtual_size, virtual_address, raw_size, raw_offset = struct.unpack_from('<IIII', image, section_table + i * 40 + 8)
            if virtual_address <= rva < virtual_address + max(virtual_size, raw_size):
                return rva - virtual_address + raw_offset
        raise ValueError(f'{path}: RVA 0x{rva:x} is in no section')

    cli = file_offset(cli_rva)
    native_rva, native_size = struct.unpack_from('<II', image, cli + 64)
    return native_size > 0 and struct.unpack_from('<I', image, file_offset(native_rva))[0] == READY_TO_RUN_SIGNATURE


failed = [path for path in sys.argv[1:] if not is_ready_to_run(path)]
for path in failed:
    print(f'{path} is IL only: it was not compiled ahead of time (ReadyToRun)', file=sys.stderr)
sys.exit(1 if failed or len(sys.argv) < 2 else 0)

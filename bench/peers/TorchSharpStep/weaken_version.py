#!/usr/bin/env python3
"""Mark one symbol-version requirement of an ELF shared library weak (VER_FLG_WEAK).

Why: TorchSharp-cpu 0.107's libLibTorchSharp.so lists GLIBCXX_3.4.32 among the versions it needs
from libstdc++.so.6. Debian 12's libstdc++ stops at 3.4.30, so the dynamic loader refuses the
library, and TorchSharp then reports a misleading "doesn't contain a reference to
libtorch-cpu-linux-x64" error. The only symbol of that version is std::ios_base_library_init(),
which no relocation in the library refers to. glibc's loader treats a missing *weak* version as
non-fatal, so setting vna_flags |= VER_FLG_WEAK on that one entry lets the library load.

Only ever run this on the build output's copy, never on the NuGet cache: it writes a new file and
renames it over the old one, so a hard link into the cache would be left untouched anyway.

Usage: weaken_version.py LIBRARY [VERSION]   (VERSION defaults to GLIBCXX_3.4.32)
Idempotent: prints what it did, exits 0 also when the entry is already weak or absent.
"""
import os
import struct
import sys
import tempfile

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def section_headers(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    for i in range(shnum):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, ...
        fields = struct.unpack_from("<IIQQQQII", data, shoff + i * shentsize)
        yield {"type": fields[1], "offset": fields[4], "size": fields[5], "link": fields[6]}


def c_string(data, offset):
    return data[offset:data.index(b"\x00", offset)].decode("ascii")


def weaken(data, version):
    """Returns (offset of vna_flags, old flags) for every Vernaux entry named `version`."""
    headers = list(section_headers(data))
    found = []
    for header in headers:
        if header["type"] != SHT_GNU_VERNEED:
            continue
        strtab = headers[header["link"]]["offset"]
        need = header["offset"]
        while True:
            _, count, file_name, aux, next_need = struct.unpack_from("<HHIII", data, need)
            entry = need + aux
            for _ in range(count):
                _, flags, _, name, next_aux = struct.unpack_from("<IHHII", data, entry)
                if c_string(data, strtab + name) == version:
                    found.append((entry + 4, flags, c_string(data, strtab + file_name)))
                entry += next_aux
            if next_need == 0:
                break
            need += next_need
    return found


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    path = sys.argv[1]
    version = sys.argv[2] if len(sys.argv) == 3 else "GLIBCXX_3.4.32"
    if os.sep + ".nuget" + os.sep in os.path.realpath(path):
        raise SystemExit(f"refusing to edit {path}: it is in the NuGet cache; patch the build output's copy")
    with open(path, "rb") as f:
        data = bytearray(f.read())
    entries = weaken(data, version)
    if not entries:
        print(f"{path}: needs no {version}; nothing to do")
        return
    if all(flags & VER_FLG_WEAK for _, flags, _ in entries):
        print(f"{path}: {version} already weak")
        return
    for offset, flags, _ in entries:
        struct.pack_into("<H", data, offset, flags | VER_FLG_WEAK)
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".weaken-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(temp, os.stat(path).st_mode)
    os.replace(temp, path)
    libraries = ", ".join(sorted({library for _, _, library in entries}))
    print(f"{path}: marked {version} (from {libraries}) weak")


if __name__ == "__main__":
    main()

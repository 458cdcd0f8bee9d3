"""Writes the golden .npz files the array-data tests read; run with Debian's python3-numpy.

The tests never run this: the .npz files it wrote (NumPy 1.24.2) are committed beside it, so the
test suite checks the reader against bytes NumPy really produced without needing Python.
"""
import numpy as np

# A table: x float32 [5, 3], y int64 [5]; stored (np.savez does not compress).
x = (np.arange(15, dtype=np.float32).reshape(5, 3) / 4 - 1)
y = np.array([0, 2, 1, 2, 0], dtype=np.int64)
np.savez("table.npz", x=x, y=y)

# The same table deflated, x as float64 and y as uint8.
np.savez_compressed("table-compressed.npz", x=x.astype(np.float64), y=y.astype(np.uint8))

# Sequences, many-to-many: x float32 [4, 3, 2], y int32 [4, 3].
xs = (np.arange(24, dtype=np.float32).reshape(4, 3, 2) - 12) / 8
ys = (np.arange(12, dtype=np.int32).reshape(4, 3) % 3)
np.savez("sequences.npz", x=xs, y=ys)

# Fortran order and big-endian: NumPy writes fortran_order True for F-contiguous arrays.
xf = np.asfortranarray(x.astype(">f8"))
np.savez("fortran-bigendian.npz", x=xf, y=y.astype(">i2"))

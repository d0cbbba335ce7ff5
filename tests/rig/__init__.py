"""Test rig: real hardware stacks (pcscd + vpcd, serial pseudo-terminals, loopback ports, Xvfb)."""

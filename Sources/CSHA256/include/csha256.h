#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 block compression with the CPU's SHA-256 instructions: x86-64 SHA extensions (SHA-NI) or the
   Armv8 SHA-2 instructions. The Swift code in MicrocosmAWS (SHA256.swift) is the portable fallback and the
   reference the tests compare this with. */

/* 1 when this CPU has the instructions csha256_compress_hardware uses (checked once: cpuid on x86-64,
   getauxval(AT_HWCAP) on Linux/Arm64, always on Apple Arm64); 0 otherwise, and on other architectures. */
int csha256_hardware_available(void);

/* Compresses `count` consecutive 64-byte blocks at `blocks` (any alignment) into the eight chaining words
   `state` (h0...h7, native byte order). Call only when csha256_hardware_available() returned 1. */
void csha256_compress_hardware(uint32_t state[8], const uint8_t *blocks, size_t count);

#endif

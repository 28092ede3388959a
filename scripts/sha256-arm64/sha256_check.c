/* Prints the SHA-256 of test inputs computed with csha256_compress_hardware (and FIPS 180-4 padding done
   here), one hex digest a line: byte i of an input of length n is (i * 7 + n) & 0xff, for n = 0...300, then a
   million 'a'. scripts/check-sha256-arm64 compares the lines with Python's hashlib. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csha256.h"

static void sha256(const uint8_t *message, size_t length, uint8_t digest[32]) {
    uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t whole = length / 64;
    csha256_compress_hardware(state, message, whole);
    uint8_t tail[128] = {0};
    size_t rest = length - whole * 64;
    memcpy(tail, message + whole * 64, rest);
    tail[rest] = 0x80;
    size_t tail_length = rest < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) tail[tail_length - 1 - i] = (uint8_t)(bits >> (8 * i));
    csha256_compress_hardware(state, tail, tail_length / 64);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)state[i];
    }
}

static void print_digest(const uint8_t *message, size_t length) {
    uint8_t digest[32];
    sha256(message, length, digest);
    for (int i = 0; i < 32; i++) printf("%02x", digest[i]);
    printf("\n");
}

int main(void) {
    if (!csha256_hardware_available()) {
        fprintf(stderr, "this CPU has no SHA-256 instructions\n");
        return 2;
    }
    /* One byte past the start, so the blocks are not aligned. */
    static uint8_t buffer[301 + 1];
    for (size_t n = 0; n <= 300; n++) {
        for (size_t i = 0; i < n; i++) buffer[1 + i] = (uint8_t)((i * 7 + n) & 0xff);
        print_digest(buffer + 1, n);
    }
    size_t million = 1000000;
    uint8_t *as = malloc(million);
    if (!as) return 1;
    memset(as, 'a', million);
    print_digest(as, million);
    free(as);
    return 0;
}

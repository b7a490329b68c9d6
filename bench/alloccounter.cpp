// Counts heap allocations made through operator new in a benchmark binary, so a bench can
// report allocations per message. Replacing the global operators is per executable: link
// this file into each bench that reports allocations. Qt containers that call malloc directly
// are not seen; the hot paths measured here use none.

#include "alloccounter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::uint64_t> g_allocations{0};

void *countedAlloc(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}

void *countedAlignedAlloc(std::size_t n, std::align_val_t al) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto a = static_cast<std::size_t>(al);
    return std::aligned_alloc(a, (n + a - 1) / a * a);
}
} // namespace

void *operator new(std::size_t n) {
    if (void *p = countedAlloc(n))
        return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t n) {
    if (void *p = countedAlloc(n))
        return p;
    throw std::bad_alloc();
}
void *operator new(std::size_t n, const std::nothrow_t &) noexcept {
    return countedAlloc(n);
}
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept {
    return countedAlloc(n);
}
void *operator new(std::size_t n, std::align_val_t al) {
    if (void *p = countedAlignedAlloc(n, al))
        return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t n, std::align_val_t al) {
    if (void *p = countedAlignedAlloc(n, al))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept {
    std::free(p);
}
void operator delete[](void *p) noexcept {
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void *p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void *p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void *p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void *p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}

std::uint64_t allocationCount() {
    return g_allocations.load(std::memory_order_relaxed);
}

#pragma once

// Heap allocations counted since the process started (see alloccounter.cpp).

#include <cstdint>

std::uint64_t allocationCount();

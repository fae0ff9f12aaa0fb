// A stable hash for routing keys: the same value on every run, in every process and on every
// platform (std::hash is unspecified and may change between runs or library versions).
#pragma once

#include <cstdint>
#include <string_view>

namespace sup::std_lib {

/// 64-bit FNV-1a of the bytes of `key`.
constexpr std::uint64_t stable_hash(std::string_view key) noexcept {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

/// Elixir's routing of an integer key over `n` partitions: rem(abs(key), n). Defined for every
/// int64 (also the most negative one).
constexpr std::int64_t partition_of(std::int64_t key, std::int64_t n) noexcept {
    std::uint64_t magnitude = key < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(key)
                                      : static_cast<std::uint64_t>(key);
    return n > 0 ? static_cast<std::int64_t>(magnitude % static_cast<std::uint64_t>(n)) : 0;
}

/// The routing of any other key (here: its bytes) over `n` partitions: stable_hash(key) mod n.
/// (Elixir uses :erlang.phash2/2, which hashes the term's external format.)
constexpr std::int64_t partition_of(std::string_view key, std::int64_t n) noexcept {
    return n > 0 ? static_cast<std::int64_t>(stable_hash(key) % static_cast<std::uint64_t>(n)) : 0;
}

} // namespace sup::std_lib

#pragma once
// Lambda concurrency: a function with reserved concurrency has a pool of its own; all others
// share the account's unreserved pool (the account limit minus every reservation).
namespace sluice::components {

class ConcurrencyPool {
 public:
  ConcurrencyPool() = default;
  explicit ConcurrencyPool(long limit) : limit_(limit) {}
  bool try_acquire() {
    if (in_use_ >= limit_) return false;
    ++in_use_;
    return true;
  }
  void release() { --in_use_; }
  long in_use() const { return in_use_; }
  long limit() const { return limit_; }

 private:
  long limit_ = 0;
  long in_use_ = 0;
};

}  // namespace sluice::components

#pragma once
// The future event list. Interface (implementation chosen by bench/calendar_hold):
//   void schedule(SimTime t, uint32_t target, uint32_t kind, uint64_t payload);  // assigns seq
//   bool empty() const; std::size_t size() const;
//   const Event& top() const;   // the earliest (time, seq)
//   Event pop();                // removes and returns the earliest
//   void reserve(std::size_t n);
// Cancellation is lazy: handlers check a generation number carried in the payload.

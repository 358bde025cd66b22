// An unrelated class with a `scale` method and its own `describe`: main.cpp must not resolve to them.
#include <chrono>
#include <string>

class Timer {
public:
  void scale(double factor) { factor_ = factor; }
  double elapsed() const { return factor_; }

private:
  double factor_ = 1.0;
};

static std::string describe(const Timer &timer) { return std::to_string(timer.elapsed()); }

int main() {
  Timer timer;
  timer.scale(2.0);
  return describe(timer).empty() ? 1 : 0;
}

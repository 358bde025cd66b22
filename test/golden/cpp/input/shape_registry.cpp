// shape_registry.cpp - a registry of named shapes with lazily computed areas.
#include <map>
#include <memory>
#include <string>
#include "geometry/shape.hpp"

namespace geo {

constexpr double kPi = 3.14159265358979;

using ShapePtr = std::unique_ptr<class Shape>;

class Shape {
 public:
  explicit Shape(std::string name) : name_(std::move(name)) {}
  virtual ~Shape() = default;
  virtual double area() const = 0;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

class Circle : public Shape {
 public:
  Circle(std::string name, double r) : Shape(std::move(name)), r_(r) {}
  double area() const override { return kPi * r_ * r_; }

 private:
  double r_;
};

struct Point {
  double x;
  double y;
};

template <typename T>
T clamp(T value, T lo, T hi) {
  return value < lo ? lo : (hi < value ? hi : value);
}

class Registry {
 public:
  void add(ShapePtr shape);
  double total_area() const;
  static Registry& instance();

  class Iterator {
   public:
    bool operator!=(const Iterator& other) const { return pos_ != other.pos_; }
   private:
    std::map<std::string, ShapePtr>::const_iterator pos_;
  };

 private:
  std::map<std::string, ShapePtr> shapes_;
};

void Registry::add(ShapePtr shape) {
  const std::string key = shape->name();
  shapes_.emplace(key, std::move(shape));
}

double Registry::total_area() const {
  double sum = 0;
  for (const auto& [key, shape] : shapes_) {
    sum += clamp(shape->area(), 0.0, 1e9);
  }
  return sum;
}

Registry& Registry::instance() {
  static Registry registry;
  return registry;
}

}  // namespace geo

int main() {
  auto& registry = geo::Registry::instance();
  registry.add(std::make_unique<geo::Circle>("unit", 1.0));
  return registry.total_area() > 3.0 ? 0 : 1;
}

// A library's own export and inline macros, as V8 and Node write them.
#define V8_EXPORT __attribute__((visibility("default")))
#define V8_INLINE inline __attribute__((always_inline))

namespace v8 {

class V8_EXPORT Value {
 public:
  V8_INLINE bool IsUndefined() const { return tag_ == 0; }

 private:
  int tag_;
};

class V8_EXPORT Array : public Value {
 public:
  uint32_t Length() const;
  V8_INLINE static Array* Cast(Value* value) { return static_cast<Array*>(value); }
};

}  // namespace v8

NODE_EXTERN bool HasInstance(v8::Value* value);

NODE_EXTERN int RunLoop(int argc, char** argv) {
  return argc;
}

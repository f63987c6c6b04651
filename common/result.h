#pragma once
// Result<T>: the value-or-error type every fallible function returns (CONVENTIONS.md, Errors).
// An alias of Boost.Outcome's result<T, std::error_code>; subsystems define their own Errc enums
// as std::error_code categories (see errc.h for the pattern and the shared codes).

#include <system_error>

#include <boost/outcome/result.hpp>
#include <boost/outcome/try.hpp>

namespace common {

namespace outcome = boost::outcome_v2;

template <class T>
using Result = outcome::result<T, std::error_code, outcome::policy::terminate>;

// Propagates an error out of the enclosing function. Boost 1.74 form: TRIBUTARY_TRY(x, f());
// declares `auto&& x` bound to the value; TRIBUTARY_TRY(f()) for Result<void>.
#define TRIBUTARY_TRY BOOST_OUTCOME_TRY

inline Result<void> ok() {
    return outcome::success();
}

}  // namespace common

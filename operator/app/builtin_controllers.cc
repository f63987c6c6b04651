#include "operator/app/manager.h"

#ifdef TRIBUTARY_HAVE_CONTROLLERS
#include "operator/controllers/register.h"
#endif

namespace kop::app {

void register_builtin_controllers(runtime::ControllerHost& host) {
#ifdef TRIBUTARY_HAVE_CONTROLLERS
    kop::controllers::register_controllers(host);
#else
    (void)host;
#endif
}

}  // namespace kop::app

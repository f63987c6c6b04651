#pragma once
// The operator's controllers, registered with the manager (operator/app calls this once before
// it runs). Reads the images broker pods need from the environment the Helm chart sets:
// TRIBUTARY_OPERATOR_IMAGE (runs broker-init) and TRIBUTARY_BROKER_IMAGE (default broker image).

#include "operator/runtime/controller_host.h"

namespace kop::controllers {

void register_controllers(runtime::ControllerHost& host);

}  // namespace kop::controllers

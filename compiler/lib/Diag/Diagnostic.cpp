#include "supc/Diagnostic.h"

namespace supc {

std::string_view severityName(Severity s) {
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Note:
        return "note";
    case Severity::Remark:
        return "remark";
    }
    return "error";
}

} // namespace supc

// SetVectorOverride / ClearOverrides (see vector_overrides.hpp). An edit is checked against the current
// head layout, token count and d_head before anything is stored; a second edit of one vector replaces it.
#include "vector_overrides.hpp"
#include "app/i18n/i18n.hpp"

#include <algorithm>
#include <cmath>

namespace attn {

ApplyResult apply_set_override(AppState& s, const SetVectorOverride& cmd) {
    const ModelConfig& c = s.config;
    if (cmd.kind != 'q' && cmd.kind != 'k' && cmd.kind != 'v')
        return {false, _("A vector edit must name a query (q), key (k) or value (v).")};
    const int n_heads = cmd.kind == 'q' ? c.n_heads : c.n_kv_heads;
    if (cmd.layer < 0 || cmd.layer >= c.n_layers || cmd.head < 0 || cmd.head >= n_heads)
        return {false,
                cmd.kind == 'q'
                    ? i18n::format(_("There is no query head %d in layer %d."), cmd.head, cmd.layer)
                    : i18n::format(_("There is no key/value head %d in layer %d."), cmd.head, cmd.layer)};
    if (cmd.token < 0 || cmd.token >= static_cast<int>(s.tokens.size()))
        return {false, i18n::format(_("There is no token %d to edit."), cmd.token)};
    if (static_cast<int>(cmd.value.size()) != head_dim(c))
        return {false, i18n::format(_("An edited vector needs %d numbers (d_head), not %zu."), head_dim(c),
                                    cmd.value.size())};
    for (float x : cmd.value)
        if (!std::isfinite(x) || std::abs(x) > k_max_override_abs)
            return {false, i18n::format(_("Vector entries must be finite numbers between -%d and %d."),
                                        int(k_max_override_abs), int(k_max_override_abs))};
    VectorOverride o{
        cmd.layer, cmd.head, cmd.token, cmd.kind,
        Eigen::Map<const RowVector>(cmd.value.data(), static_cast<Eigen::Index>(cmd.value.size()))};
    auto same = [&](const VectorOverride& e) {
        return e.layer == o.layer && e.head == o.head && e.token == o.token && e.kind == o.kind;
    };
    if (auto it = std::find_if(s.overrides.begin(), s.overrides.end(), same); it != s.overrides.end()) {
        if (it->value == o.value) return {};
        *it = std::move(o);
    } else {
        s.overrides.push_back(std::move(o));
    }
    ++s.revision;
    return {true, {}};
}

ApplyResult apply_clear_overrides(AppState& s) {
    if (s.overrides.empty()) return {};
    s.overrides.clear();
    ++s.revision;
    return {true, {}};
}

bool overrides_outlived(const ModelConfig& a, const ModelConfig& b) {
    return a.n_layers != b.n_layers || a.n_heads != b.n_heads || a.n_kv_heads != b.n_kv_heads ||
           head_dim(a) != head_dim(b);
}

} // namespace attn

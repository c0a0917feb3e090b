// Text and JSON of one answer's attributions, and the disagreement candidates (explain_output.hpp).
#include "explain_output.hpp"

#include "core/tokenizer.hpp"

#include <cmath>
#include <cstdio>
#include <initializer_list>

namespace attn {

std::string json_number(float v) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(v));
    return buf;
}

namespace {

std::string rho(float v) {
    if (std::isnan(v)) return "n/a (one side is constant)";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%+.2f", static_cast<double>(v));
    return buf;
}

template <class Row> std::string json_row(const Row& r) {
    std::string out = "[";
    for (Eigen::Index j = 0; j < r.size(); ++j) {
        if (j) out += ", ";
        out += json_number(r(j));
    }
    return out + "]";
}

std::string head_label(const train::TinyModel& m, int index) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "L%dH%d", index / m.config.n_heads + 1, index % m.config.n_heads + 1);
    return buf;
}

} // namespace

void print_explanation_text(const train::TinyModel& m, const std::vector<std::string>& tokens,
                            const train::Explanation& e) {
    const ModelConfig& c = m.config;
    const std::string& word = tokens[static_cast<std::size_t>(e.position)];
    std::printf("explaining token %d \"%s\": answer %s %.1f%% (every head on)\n", e.position + 1,
                word.c_str(), m.vocab[static_cast<std::size_t>(e.answer)].c_str(),
                100.0 * static_cast<double>(e.answer_prob));
    std::printf(
        "attention from \"%s\" (per head and mean per layer), rollout, leave-one-out (change in log p of "
        "the answer with the token read as <unk>), gradient x input:\n",
        word.c_str());
    std::printf("  %2s %-12s", "#", "token");
    for (int l = 0; l < c.n_layers; ++l) {
        for (int h = 0; h < c.n_heads; ++h)
            std::printf(" %5s", head_label(m, l * c.n_heads + h).c_str());
        std::printf("  L%dmean", l + 1);
    }
    std::printf("  rollout  leave-1-out  grad*input\n");
    for (std::size_t j = 0; j < tokens.size(); ++j) {
        const auto jj = static_cast<Eigen::Index>(j);
        std::printf("  %2zu %-12s", j + 1, tokens[j].c_str());
        for (int l = 0; l < c.n_layers; ++l) {
            for (int h = 0; h < c.n_heads; ++h)
                std::printf(" %5.2f", static_cast<double>(e.attention[static_cast<std::size_t>(l)](h, jj)));
            std::printf("  %6.2f", static_cast<double>(e.mean_attention(l, jj)));
        }
        std::printf("  %7.2f  %+11.3f  %+10.3f", static_cast<double>(e.rollout(jj)),
                    static_cast<double>(e.leave_one_out(jj)), static_cast<double>(e.grad_x_input(jj)));
        if (e.loo_answer[j] != e.answer)
            std::printf("  (without it: %s)", m.vocab[static_cast<std::size_t>(e.loo_answer[j])].c_str());
        std::printf("\n");
    }
    std::printf("Spearman rank correlation with |leave-one-out|: last-layer mean %s, rollout %s\n",
                rho(e.rank.attention_loo).c_str(), rho(e.rank.rollout_loo).c_str());
    std::printf("Spearman rank correlation with |grad x input|:  last-layer mean %s, rollout %s\n",
                rho(e.rank.attention_grad).c_str(), rho(e.rank.rollout_grad).c_str());
    std::printf("the answer's probability with one head off (drop):");
    for (std::size_t s = 0; s < e.head_drop.size(); ++s)
        std::printf("%s %s %.1f%% (%+.1f)", s % static_cast<std::size_t>(c.n_heads) == 0 ? "\n " : ",",
                    head_label(m, static_cast<int>(s)).c_str(),
                    100.0 * static_cast<double>(e.head_off_prob[s]),
                    -100.0 * static_cast<double>(e.head_drop[s]));
    std::printf("\n");
}

std::string explanation_json(const train::TinyModel& m, const std::vector<std::string>& tokens,
                             const train::Explanation& e) {
    const ModelConfig& c = m.config;
    std::string out = "\"explain\": {\"position\": ";
    const auto add = [&](std::initializer_list<std::string_view> parts) {
        for (const std::string_view p : parts)
            out.append(p);
    };
    add({std::to_string(e.position + 1),
         ", \"token\": ", json_string(tokens[static_cast<std::size_t>(e.position)]),
         ", \"answer\": ", json_string(m.vocab[static_cast<std::size_t>(e.answer)]),
         ", \"p\": ", json_number(e.answer_prob), ",\n    \"attention\": ["});
    for (std::size_t l = 0; l < e.attention.size(); ++l) {
        out.append(l ? ", [" : "[");
        for (int h = 0; h < c.n_heads; ++h)
            add({h ? ", " : "", json_row(e.attention[l].row(h))});
        out.append("]");
    }
    out.append("],\n    \"mean_attention\": [");
    for (Eigen::Index l = 0; l < e.mean_attention.rows(); ++l)
        add({l ? ", " : "", json_row(e.mean_attention.row(l))});
    add({"],\n    \"rollout\": ", json_row(e.rollout),
         ",\n    \"leave_one_out\": ", json_row(e.leave_one_out), ",\n    \"answer_without\": ["});
    for (std::size_t j = 0; j < e.loo_answer.size(); ++j)
        add({j ? ", " : "", json_string(m.vocab[static_cast<std::size_t>(e.loo_answer[j])])});
    add({"],\n    \"grad_x_input\": ", json_row(e.grad_x_input),
         ",\n    \"rank_correlation\": {\"attention_loo\": ", json_number(e.rank.attention_loo),
         ", \"attention_grad\": ", json_number(e.rank.attention_grad),
         ", \"rollout_loo\": ", json_number(e.rank.rollout_loo),
         ", \"rollout_grad\": ", json_number(e.rank.rollout_grad), "},\n    \"head_off_p\": ["});
    for (int l = 0; l < c.n_layers; ++l) {
        out.append(l ? ", [" : "[");
        for (int h = 0; h < c.n_heads; ++h)
            add({h ? ", " : "", json_number(e.head_off_prob[static_cast<std::size_t>(l * c.n_heads + h)])});
        out.append("]");
    }
    out.append("]}");
    return out;
}

void print_disagreements(const train::TinyModel& m, const std::vector<train::DisagreementCandidate>& found) {
    using train::DisagreementKind;
    std::printf(
        "Held-out sentences of the model's corpus, at \"it\"/\"they\". Thresholds: a head \"looks hard\" "
        "with a weight >= %.2f, \"looks not at all\" when every head stays <= %.2f; \"changes nothing\" "
        "is |leave-one-out| <= %.2f; \"sure\" is p >= %.2f.\n",
        static_cast<double>(train::k_look_hard), static_cast<double>(train::k_no_look),
        static_cast<double>(train::k_changes_nothing), static_cast<double>(train::k_sure));
    if (found.empty()) std::printf("no candidates found\n");
    const char* kinds[] = {"IgnoredLook", "HiddenCause", "WrongButSure"};
    int previous = -1, rank = 0;
    for (const train::DisagreementCandidate& c : found) {
        const int k = static_cast<int>(c.kind);
        if (k != previous) std::printf("\n%s:\n", train::to_string(c.kind)), previous = k, rank = 0;
        const train::DisagreementFigures& f = c.figures;
        std::string text = join_tokens(c.tokens);
        if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
            text[0] = static_cast<char>(text[0] - 'a' + 'A');
        std::printf("%2d. \"%s\"%s%s\n", ++rank, text.c_str(),
                    c.held_out_structure ? "  [unseen structure]" : "",
                    c.replaced_noun ? "  [noun unknown to the model]" : "");
        std::printf("    at %d \"%s\": answer %s %.1f%%; token %d \"%s\": strongest head %s %.2f, last-layer "
                    "mean %.2f, "
                    "rollout %.2f, leave-one-out %+.3f (answer then %s), grad x input %+.3f\n",
                    c.position + 1, c.tokens[static_cast<std::size_t>(c.position)].c_str(), f.answer.c_str(),
                    100.0 * static_cast<double>(f.answer_prob), c.token + 1,
                    c.tokens[static_cast<std::size_t>(c.token)].c_str(), head_label(m, f.max_head).c_str(),
                    static_cast<double>(f.max_head_weight), static_cast<double>(f.mean_last),
                    static_cast<double>(f.rollout), static_cast<double>(f.leave_one_out),
                    f.answer_without.c_str(), static_cast<double>(f.grad_x_input));
        std::printf("    preset row: {\"NAME\", DisagreementKind::%s, \"%s\", %d, %d},\n", kinds[k],
                    text.c_str(), c.position, c.token);
    }
}

} // namespace attn

// The English corpus's word lists: nouns of four kinds with their plurals, and verbs in the forms that
// agree with a singular and a plural subject. english.cpp builds sentences from them; nothing else reads
// them.
#pragma once

#include <string_view>
#include <vector>

namespace attn::train::lexicon {

struct Forms {
    std::string_view one, many; // singular / plural noun, or the verb form agreeing with each
};

// Animals can be "it"; people never are (they are he/she), so people only fill other roles.
// clang-format off
inline const std::vector<Forms> k_animals = {
    {"animal", "animals"}, {"dog", "dogs"}, {"cat", "cats"}, {"horse", "horses"},
    {"fox", "foxes"}, {"cow", "cows"}, {"goat", "goats"}, {"rabbit", "rabbits"},
    {"wolf", "wolves"}, {"bear", "bears"}, {"mouse", "mice"}, {"duck", "ducks"},
    {"pig", "pigs"}, {"donkey", "donkeys"}, {"lamb", "lambs"}, {"puppy", "puppies"},
    {"kitten", "kittens"}, {"hen", "hens"}, {"tiger", "tigers"}, {"lion", "lions"},
    {"monkey", "monkeys"}, {"bird", "birds"}, {"owl", "owls"}, {"frog", "frogs"},
    {"camel", "camels"}, {"zebra", "zebras"}, {"elephant", "elephants"}, {"squirrel", "squirrels"},
    {"turtle", "turtles"}, {"goose", "geese"}, {"ox", "oxen"}, {"pony", "ponies"},
    {"calf", "calves"}, {"mule", "mules"}, {"badger", "badgers"}, {"rat", "rats"},
    {"beaver", "beavers"}, {"hedgehog", "hedgehogs"}, {"chicken", "chickens"}, {"parrot", "parrots"},
    {"crow", "crows"}, {"bull", "bulls"}, {"bat", "bats"}, {"seal", "seals"}};
// clang-format on
inline const std::vector<Forms> k_people = {
    {"child", "children"}, {"boy", "boys"},           {"girl", "girls"},       {"man", "men"},
    {"woman", "women"},    {"farmer", "farmers"},     {"teacher", "teachers"}, {"student", "students"},
    {"baby", "babies"},    {"driver", "drivers"},     {"doctor", "doctors"},   {"soldier", "soldiers"},
    {"friend", "friends"}, {"neighbor", "neighbors"}, {"player", "players"},   {"hiker", "hikers"},
    {"nurse", "nurses"},   {"guard", "guards"},       {"runner", "runners"},   {"worker", "workers"}};
inline const std::vector<Forms> k_places = {
    {"street", "streets"},   {"road", "roads"},     {"river", "rivers"},  {"bridge", "bridges"},
    {"field", "fields"},     {"hill", "hills"},     {"wall", "walls"},    {"fence", "fences"},
    {"ditch", "ditches"},    {"stream", "streams"}, {"lake", "lakes"},    {"path", "paths"},
    {"track", "tracks"},     {"yard", "yards"},     {"gate", "gates"},    {"pond", "ponds"},
    {"canal", "canals"},     {"valley", "valleys"}, {"cliff", "cliffs"},  {"tunnel", "tunnels"},
    {"highway", "highways"}, {"lane", "lanes"},     {"trail", "trails"},  {"mountain", "mountains"},
    {"slope", "slopes"},     {"square", "squares"}, {"park", "parks"},    {"garden", "gardens"},
    {"forest", "forests"},   {"meadow", "meadows"}, {"beach", "beaches"}, {"alley", "alleys"}};
inline const std::vector<Forms> k_things = {
    {"key", "keys"},       {"cabinet", "cabinets"}, {"door", "doors"},     {"table", "tables"},
    {"chair", "chairs"},   {"book", "books"},       {"window", "windows"}, {"car", "cars"},
    {"truck", "trucks"},   {"boat", "boats"},       {"bag", "bags"},       {"cup", "cups"},
    {"bottle", "bottles"}, {"lamp", "lamps"},       {"box", "boxes"},      {"shelf", "shelves"},
    {"bed", "beds"},       {"basket", "baskets"},   {"bucket", "buckets"}, {"blanket", "blankets"},
    {"ball", "balls"},     {"bowl", "bowls"},       {"rope", "ropes"},     {"ladder", "ladders"},
    {"bench", "benches"},  {"coat", "coats"},       {"bell", "bells"},     {"toy", "toys"},
    {"drawer", "drawers"}, {"plate", "plates"},     {"pencil", "pencils"}, {"clock", "clocks"}};

// Adjectives that fit only one kind of noun, so they decide what "it" means.
inline const std::vector<std::string_view> k_animal_adj = {
    "tired",   "hungry",    "scared",     "sleepy", "weak",     "sick",   "lazy",
    "thirsty", "nervous",   "frightened", "angry",  "shy",      "timid",  "worried",
    "lonely",  "exhausted", "clumsy",     "grumpy", "restless", "curious"};
inline const std::vector<std::string_view> k_place_adj = {
    "wide",   "busy",  "deep",  "steep",     "muddy",    "icy",   "crowded", "flooded",
    "narrow", "rocky", "bumpy", "overgrown", "polluted", "windy", "remote"};
inline const std::vector<std::string_view> k_thing_adj = {"broken", "rusty", "cracked", "dusty",
                                                          "locked", "empty", "shiny",   "bent",
                                                          "leaky",  "torn",  "faded",   "chipped"};

const Forms k_be_now = {"is", "are"}, k_be_past = {"was", "were"}, k_have = {"has", "have"},
            k_do_not = {"doesn't", "don't"};
inline const std::vector<Forms> k_intransitive = {{"sleeps", "sleep"}, {"runs", "run"},   {"waits", "wait"},
                                                  {"eats", "eat"},     {"jumps", "jump"}, {"walks", "walk"},
                                                  {"swims", "swim"},   {"rests", "rest"}, {"hides", "hide"},
                                                  {"plays", "play"},   {"sits", "sit"},   {"stops", "stop"}};
inline const std::vector<Forms> k_transitive = {
    {"chases", "chase"}, {"watches", "watch"}, {"likes", "like"},    {"sees", "see"},   {"follows", "follow"},
    {"wants", "want"},   {"needs", "need"},    {"hates", "hate"},    {"loves", "love"}, {"finds", "find"},
    {"fears", "fear"},   {"avoids", "avoid"},  {"carries", "carry"}, {"pulls", "pull"}};
inline const std::vector<std::string_view> k_past = {
    "chased", "watched", "followed", "bit",     "saw",     "found",  "liked",   "feared",  "pushed", "heard",
    "helped", "ignored", "noticed",  "avoided", "visited", "licked", "smelled", "greeted", "woke",   "met"};

} // namespace attn::train::lexicon

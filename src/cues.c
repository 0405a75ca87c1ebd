/* cues.c - the rule cues of heard: pattern tables (data) and the phrase
 * matcher that compiles them once per analyser and runs them over a turn's
 * tokens in one pass.
 *
 * Pattern syntax (one pattern per string, words separated by spaces):
 *   word        literal, tokenised with heard's own tokenizer and compared by
 *               the hash of its folded form ("i'm", "5pm", "😡")
 *   ~word       any word with the same Snowball stem ("~worried" matches
 *               worry, worries, worrying)
 *   (a|b c)     one of the alternatives (which may hold several words)
 *   [a|b]       optional: one of the alternatives or nothing; also (a|b)?
 *   *           exactly one word;   **  zero to three words
 *   #           a number: digits or a number word (three, several, ...)
 *   @time @date a time (5pm, 17:30) or date token
 *   ^           (prefix of the first word) only at the start of a sentence
 *   $name       macro from the table below, e.g. $im = (i'm|im|i am)
 *   %2 %q %n %e (leading options) strength 2; the sentence must be a question;
 *               match even inside a negation scope; the pattern must end the
 *               sentence or be followed by punctuation
 * Commas and dashes between pattern words are skipped in the text, so
 * "oh, no" matches "oh no". A match whose first word lies in the scope of a
 * preceding negator ("I'm not angry") is dropped unless %n is given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cues.h"
#include "text.h"

/* ------------------------------------------------------------------ */
/* Tables                                                               */

typedef struct cue_family {
    uint16_t cue;
    int8_t strength; /* default strength of the family's patterns */
    const char *const *pats;
    size_t n;
} cue_family;

#define FAMILY(cue, strength, arr) {cue, strength, arr, sizeof arr / sizeof arr[0]}

static const struct macro {
    const char *name, *text;
} macros[] = {
    {"im", "(i'm|im|i am)"},
    {"ive", "(i've|ive|i have)"},
    {"ill", "(i'll|ill|i will|i shall)"},
    {"id", "(i'd|i would)"},
    {"youre", "(you're|youre|you are|ur)"},
    {"youve", "(you've|youve|you have)"},
    {"youll", "(you'll|youll|you will)"},
    {"youd", "(you'd|you would)"},
    {"its", "(it's|its|it is|it has|it's been|it has been)"},
    {"thats", "(that's|thats|that is|that has|this is|this's|that was|this was)"},
    {"theres", "(there's|theres|there is)"},
    {"dont", "(don't|dont|do not)"},
    {"doesnt", "(doesn't|doesnt|does not)"},
    {"didnt", "(didn't|didnt|did not)"},
    {"cant", "(can't|cant|cannot|can not|couldn't|couldnt|could not)"},
    {"wont", "(won't|wont|will not)"},
    {"isnt", "(isn't|isnt|is not)"},
    {"well", "(we'll|we will)"},
    {"weve", "(we've|we have)"},
    {"were", "(we're|we are)"},
    {"feel", "(i'm|im|i am|i feel|i felt|feeling|i've been|ive been|i have been|i was|we're|we are|we've been|we were|i get|i'm getting|im getting|i am getting|it's making me|it is making me|this is making me|making me|it makes me|made me|leaving me|left me)"},
    {"int", "[so|really|very|absolutely|completely|totally|extremely|incredibly|super|utterly|genuinely|truly|quite|pretty|just|a bit|a little|getting|beyond|honestly|actually|seriously|properly]"},
    {"i1", "(i|we)"},
    {"kin", "(son|daughter|child|kid|kids|children|baby|mum|mom|mother|dad|father|husband|wife|partner|nan|gran|grandma|granny|grandad|grandpa|grandmother|grandfather|sister|brother|family|boyfriend|girlfriend|fiance|fiancee|uncle|aunt|auntie|neighbour|neighbor|friend|carer)"},
    {"day", "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)"},
    {"ord", "(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|4th|5th|6th|7th|8th|9th|10th|umpteenth|nth|hundredth|millionth)"},
    {"period", "(minute|minutes|mins|min|hour|hours|hrs|hr|day|days|week|weeks|month|months|year|years)"},
    {"contacted", "(called|rung|rang|phoned|emailed|e-mailed|messaged|contacted|chased|written|wrote|tweeted|dm'd|chatted|spoken|asked|complained|reported|tried|been in touch|got in touch|visited|come in|been in|gone in)"},
    {"badadj", "(horrible|awful|terrible|rotten|miserable|rough|tough|hard|difficult|frightening|scary|stressful|worrying|unsettling|nasty|horrid|dreadful|horrendous|lousy|rubbish|upsetting|distressing|painful|cruel|sad|heartbreaking|frustrating|maddening|shocking|worrying|exhausting|crushing|gutting|grim|bleak|awkward|embarrassing|humiliating)"},
    {"month", "(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"},
    {"subjq", "(you|your|u|ya|yourself|you're|you've|you'd|anything|anyone|someone|something|somebody|anybody|things|he|she|they|one of them|any of them|either of them|none of them|all of them|everyone|everything)"},
    {"auxq", "(do|does|have|has|had|are|were|is|was)"},
    {"whq", "(what|what's|whats|why|how|how's|hows|when|where|who)"},
    {"them3", "(he|she|they|your $kin|the kids|the children|the baby|your little one|your little girl|your little boy|your little guy|your dog|your cat)"},
    {"sitw", "(job|shift|shifts|school|college|uni|university|kids|children|child|family|household|husband|wife|partner|son|daughter|mum|mom|dad|baby|care|carer|surgery|operation|appointment|appointments|plans|trip|flight|commute|budget|income|health|wedding|event|party|deadline|holiday|travel|travelling|traveling|move|moving|home|house|exam|exams|treatment|medication|condition|mobility|hours|rent|bills|benefits|savings|situation|circumstances|needs|business|customers|clients|patients|staff|team|employer|landlord|tenants|students|classes)"},
    {"you2", "(you|your|you're|youre|you've|youve|you'd|you'll|u|ur|yourself)"},
    {"feelw", "(feel|feeling|feelings|felt|feels|cope|coping|handle|handling|mood|moods|thoughts|emotions|emotionally|mentally|sleep|sleeping|eating|appetite|stressed|stress|anxious|anxiety|worried|worry|worrying|scared|afraid|frightened|nervous|sad|depressed|depression|lonely|alone|isolated|upset|angry|hurt|hurting|struggling|struggle|overwhelmed|exhausted|tired|talk|talked|talking|vent|trust|supported|therapist|therapy|counsellor|counselor|counselling|counseling|cry|crying|motivation|hopeful|happy|unhappy|suicidal|dealing|grieving|numb|empty|panic|okay)"},
};

/* --- politeness strategies (Danescu-Niculescu-Mizil et al. 2013) --- */
static const char *const pol_gratitude[] = {
    "thank you", "thanks", "thankyou", "thank u", "thanx", "thx", "ty", "cheers",
    "many thanks", "much appreciated", "appreciate it", "i appreciate", "i really appreciate",
    "grateful", "i'm grateful", "i am grateful", "thanks so much", "thank you so much",
    "thanks a million", "thanks again", "🙏",
};
static const char *const pol_greeting[] = {
    "^hi", "^hello", "^hey", "^hiya", "^heya", "^howdy", "^greetings", "^dear",
    "^good (morning|afternoon|evening|day)", "^morning", "^afternoon", "^evening", "^yo",
    "nice to (meet|speak to|hear from) you", "hope you're well", "hope you are well",
    "hope this (email|message) finds you well", "how are you today",
};
static const char *const pol_apology[] = {
    "sorry", "apologies", "apologise", "apologize", "apologising", "apologizing",
    "apologised", "apologized", "my apologies", "pardon", "excuse me", "forgive me",
    "i regret", "we regret",
};
static const char *const pol_please[] = {
    "please", "pls", "plz", "plse", "kindly",
};
static const char *const pol_please_start[] = {
    "^please", "^pls", "^plz", "^kindly",
};
static const char *const pol_hedge[] = {
    "i think", "i believe", "maybe", "perhaps", "possibly", "probably", "i suppose",
    "i guess", "might", "may be", "it seems", "it looks like", "seems like", "sort of",
    "kind of", "not sure", "i'm not sure", "i am not sure", "if possible", "if you can",
    "i wonder", "apparently", "somewhat", "a bit", "a little", "presumably", "i assume",
    "i imagine", "if that's ok", "if that's okay", "if that is ok", "if it's not too much trouble",
    "if you don't mind", "just wondering", "as far as i know", "i could be wrong",
    "correct me if", "unless i'm mistaken",
};
static const char *const pol_indirect[] = {
    "would it be possible", "would you mind", "do you think you could",
    "do you think (it|that|we) (could|would|might)", "is there any way", "is there a way",
    "is it possible", "any chance", "is there any chance", "would you be able",
    "could you possibly", "could i (ask|get|have|possibly)", "can i ask", "may i (ask|have|get)",
    "i was hoping", "i was wondering (if|whether)", "i wonder (if|whether)", "if you could",
    "$id be (grateful|thankful|obliged) if", "i would appreciate (it)? if", "i'd appreciate (it)? if",
    "$id like to", "could you (please|kindly)", "can you (please|kindly)",
};
static const char *const pol_deference[] = {
    "great question", "good question", "fair point", "good point", "valid point",
    "fair question", "$youre [absolutely|completely|quite|totally|so] right",
    "you have a point", "i appreciate your (patience|understanding|time|help|feedback|honesty)",
    "thank you for (your|the) (patience|understanding|time|feedback|help)",
    "thanks for (your|the) (patience|understanding|time|feedback|help)",
    "with (all due)? respect", "$thats [totally|completely|entirely|very] fair", "fair enough",
    "you've been (very|so|really|incredibly) patient", "i value", "good catch",
    "thanks for (flagging|raising|letting us know|letting me know|bearing with)",
    "thank you for (flagging|raising|letting us know|letting me know|bearing with)",
};
static const char *const pol_subjunctive[] = {
    "could you", "would you", "would it", "could it", "it would be (great|grateful|nice|helpful|appreciated|good|lovely|brilliant)",
    "would be (appreciated|great|grateful|lovely|helpful|nice)", "if i could", "might you",
    "could we", "would we",
};
static const char *const pol_1pl[] = {
    "we", "us", "our", "ours", "ourselves", "let's", "lets", "we'll", "we're", "we've", "we'd",
};
static const char *const pol_direct_question[] = {
    "%q %2 ^why", "%q ^what", "%q ^how", "%q ^where", "%q ^when", "%q ^who", "%q ^which",
};
static const char *const pol_second_person_start[] = {
    "^you", "^your", "^u", "^ur", "^you're", "^youre", "^you've", "^you'll", "^you'd", "^yours",
};
static const char *const pol_factuality[] = {
    "in fact", "actually", "the point is", "the fact is", "the reality is", "the truth is",
    "obviously", "clearly", "as a matter of fact", "frankly", "to be honest", "the thing is",
    "let's be clear", "let me be clear", "to be clear",
};
static const char *const pol_direct_start[] = {
    "^so", "^but", "^and", "^or", "^then", "^look", "^listen",
};
static const char *const pol_impolite[] = {
    "%2 are you (stupid|kidding|serious|joking|deaf|thick|dense|blind|an idiot|insane|mad|for real|even listening|actually listening|reading|thick or something)",
    "%2 you (idiot|idiots|moron|morons|clown|clowns|muppet|muppets|fool|fools|people|lot) [are] [so|absolutely|completely|totally|utterly] (useless|incompetent|pathetic|clueless|hopeless|a joke|ridiculous|idiots|morons|a disgrace|thieves|crooks|scammers|liars)",
    "%2 (useless|incompetent|pathetic|clueless|hopeless) (company|people|lot|service|bunch|shower|idiots|staff|agents|bot|chatbot)",
    "%2 (wtf|ffs|stfu|omfg)", "%2 what the (hell|heck|fuck|f|f*ck|hell is this|hell is going on)",
    "%2 (fuck|fucking|fucked|fck|fkn|shit|shite|shitty|bullshit|crap|crappy|bastards|bastard|arse|ass|arsehole|asshole|bollocks|piss|pissed|damn|damned|dammit|goddamn|bloody hell|christ)",
    "bloody", "%2 for (god's|gods|fuck's|fucks|heaven's|christ's|pete's) sake",
    "%2 (screw|sod) (you|this|that|off)", "%2 shut up", "%2 (do|just do) your (job|bloody job|jobs)",
    "%2 (get|put) me (a|your|the) (manager|supervisor|boss|someone else|someone competent|real person|human)",
    "%2 (scam|scammers|scamming|thieves|crooks|cowboys|con artists|daylight robbery|rip off|ripoff|rip-off|liars)",
    "ridiculous", "%2 absolute (joke|shambles|disgrace|nonsense)", "%2 (a joke|shambles|a disgrace|disgraceful|pathetic)",
    "rubbish", "garbage", "%2 clueless", "%2 incompetent", "%2 useless", "unbelievable",
    "%2 ^just (fix|sort|do|give|refund|cancel|send|answer|tell) (it|me|this|the)",
    "%2 ^(fix|sort) (it|this) [out] [now]", "%2 ^answer (the|my) question",
    "%2 ^stop (telling|sending|wasting|giving|lying|reading)", "%2 ^don't (tell|give|bother|patronise|patronize|lecture) me",
    "%2 (seriously|really|honestly) ?", "%2 are you for real", "%2 (a|the) (bot|robot|script) could",
    "%2 read (my|the) (message|messages|email|emails) [again]", "%2 learn to read",
    "%2 (i'm|im|i am) not (an idiot|stupid|thick)", "%2 don't (treat|talk to) me like",
    "%2 (🤬|🖕)",
};

/* --- urgency --- */
static const char *const urg_deadline[] = {
    "%2 (due|deadline|expires|expiring|expire|ends|closes|cut off|cutoff|cut-off|runs out|goes out|comes out|leaves|starts|begins|is at) ** (today|tonight|tomorrow|@time|at midnight|this (morning|afternoon|evening)|in the morning|first thing)",
    "%2 (by|before|until|till|for) (@time|today|tonight|tomorrow|noon|midday|lunchtime|lunch|end of [the] day|eod|close of business|cob|midnight|this (afternoon|evening|morning)|the morning|first thing)",
    "%2 (need|needs|needed|want|have to have|must have|has to be|have got to|got to|gotta|must) ** (today|tonight|tomorrow|this (morning|afternoon|evening))",
    "%2 (flight|flying|fly|travelling|traveling|travel|leaving|leave|wedding|interview|exam|exams|operation|surgery|appointment|funeral|moving|move|trip|holiday|party|court|hearing|shift|meeting|presentation|completion|school|visa|ceremony|event|birthday|christening|match|gig|tournament|delivery|viewing|inspection|audit|closing|handover|check-in|checkin|boarding|train|bus|ferry|job) ** (today|tonight|tomorrow|in the morning|first thing|in # $period|in an hour|in half an hour|in (a|an) (few|couple of) (hours|minutes)|at @time)",
    "%2 in (#|an|a|half an|a couple of|a few|the next) (hours|hour|hrs|hr|minutes|mins|min)",
    "%2 within the (hour|next hour)", "%2 (rent|mortgage|bill|payment|deposit|invoice|fee|tax|loan|fine|insurance|direct debit|council tax|balance|instalment|installment|repayment) [is|are|was] due",
    "%2 (tomorrow|today|tonight) (morning|afternoon|evening|night|at @time|at #)",
    "%2 tomorrow (morning|afternoon|evening)", "%1 this (afternoon|evening)", "%2 (@time|#) (today|tonight|tomorrow)",
    "%2 (now|today) or (never|i'm|i will|i'll)", "%2 (before|by) (it's|its|it is) too late",
    "%2 last day", "%2 (final|last) (notice|reminder|warning|chance)", "%2 (disconnect|disconnection|cut off|cutoff|cut-off|suspended|suspension|repossess|repossession|eviction|evicted|bailiffs)",
    "tomorrow",
    "%1 (by|before|until) ($day|the weekend|the end of the week|end of the week|end of week|the end of the month|end of the month|next week)",
    "%1 (this|next) week", "%1 (flying|fly|flight|travelling|traveling|leaving|moving|move|going) ** (on $day|this $day|next $day|this week|next week|this weekend|in # days|at the end of the (week|month)|end of the month)",
    "%1 (until|till|before|by) the @date", "%1 (until|till|before|by) the # (of|st|nd|rd|th)", "%1 in the meantime", "%1 day # (with|without|of)", "%1 # days (with no|without)",
    "%1 no (internet|broadband|wifi|wi-fi|signal|service|phone line|landline|connection|tv|hot water)", "%1 $day (morning|afternoon|evening|night)", "%1 (birthday|wedding|anniversary|party|holiday|trip|flight|exam|interview|appointment|move) ** ($day|this week|next week|in # (days|weeks)|in a (week|fortnight))",
    "%2 (departs|departure|demo|launch|go-live|go live|release|pitch|submission|assignment|coursework|dissertation|thesis|class|lecture|tribunal|settlement|move-in|payroll|filing|deposit|application|enrolment|enrollment|registration|procedure|scan|biopsy|chemo|chemotherapy|treatment|dialysis|refill|renewal|conference|webinar|concert|test|mot|connection|connecting flight|layover|gate|embassy|consulate|broadcast|opening|closing date|signing) ** (today|tonight|tomorrow|in the morning|first thing|in # $period|in an hour|in half an hour|at @time)", "%2 (deadline|due date|cut-off|cutoff|closing date) (is|was|'s)? ** (today|tonight|tomorrow|in # (hours|days)|at @time|this (morning|afternoon|evening|week)|on $day)", "%2 (notice to quit|section 21|possession order|court date|final demand|default notice|ccj|county court|enforcement agents|enforcement notice|disconnection notice|shut-off notice|shutoff notice|termination notice|suspension notice)",
    "%2 (passport|visa|permit|licence|license|id card|residence card|brp|insurance|policy|cover|coverage|prescription) (expires|expired|expiring|runs out|ran out|lapses|lapsed|lapsing) ** (today|tonight|tomorrow|in # $period|this week|on $day|before)", "%2 (won't|will not|can't|cannot|refuse to|refusing to) (operate|treat|discharge|release|dispense|fill|ship|send|let me|let us|board|fly|admit|enrol|enroll|register|process) ** (until|unless|without)",
    "%2 (flight|flying|fly|leaving|leave|wedding|interview|exam|operation|surgery|appointment|funeral|court|hearing|shift|meeting|presentation|event|closes|closing|close|shuts|starts|begins|deadline|due|check-in|boarding|departs|train|bus|ferry|dose|viewing|class|lecture|demo|call) ** at (#|noon|midday|midnight) [am|pm|o'clock|today|tonight|tomorrow]", "%2 (by|before|until|till) (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midday) (o'clock|today|tonight|or|and|,|.|!|otherwise|at the latest)", "%2 (i've|i have|we've|we have|i've only|i have only|we've only|i only have|we only have|only|i've just|there's|there is|i've literally) got (an|one|half an|# |a few|a couple of|about an|like an|like # |about # ) (hour|hours|minutes|mins|min)",
    "%2 (got|have|had) (like|about|only|just)? # (minutes|mins|min) (before|until|till|left)", "%2 (dose|medication|meds|tablets|pills|injection|insulin|inhaler) ** (tonight|today|this (morning|evening|afternoon)|in # hours|in an hour)", "%2 if (it's|it is|this is|this isn't|it isn't|i'm|they're)? (not)? (paid|sorted|fixed|done|in|resolved|here|back) (today|by|tonight|before|in time)",
    "%2 (threatening|threatened|going|planning) to (pull out|cancel|evict|cut|disconnect|sue|take|repossess|give it to|close|charge|report)", "%1 (~birthday|~wedding|~party|~funeral|~interview|~exam|~flight|~appointment|~trip|~holiday|~school|~term|~move|~surgery|~operation) ** ($day|this week|next week|in # (days|weeks)|in a (week|fortnight))", "%1 (fly|flying|leave|leaving|travel|travelling|traveling|move|moving|wedding|birthday|exam|due|surgery|operation|starts|start|begins) ** on [the] # [of] $month",
    "%1 (starts|start|begins|begin|is on|are on) (on|this|next)? $day",
};
static const char *const urg_now[] = {
    "%2 (asap|a.s.a.p|a.s.a.p.)", "%2 as soon as (possible|you can|humanly possible)", "%2 right away", "%2 (need|needs|needed|want|fix|sort|do|send|get|help|come|call|answer|here|immediately|please|pls|plz|refund|cancel|stop|block|freeze) ** right now", "%2 right now (!|please|pls|plz)", "%1 right now",
    "%2 straight away", "%2 immediately", "%2 (urgent|urgently|urgency|emergency|emergencies)",
    "%2 as a matter of urgency", "%2 (please|pls|plz) hurry", "%2 hurry", "%2 (quick|quickly|fast) (please|pls|plz)",
    "%2 (need|needs|want) (it|this|help|someone|them|one|an engineer|a reply|an answer) (quick|quickly|fast)", "%2 as (quick|fast) as",
    "%2 (can|could|will|would) (you|someone|anyone) ** now", "%2 (anything|something|someone) now",
    "%1 (insulin|oxygen|epipen|epipens|epi-pen|dialysis|ventilator|life support|medical equipment|stair lift|stairlift)",
    "%2 (burst pipe|burst pipes|burst main|burst water main|burst tank|burst boiler|burst radiator|pipe burst|pipe has burst|pipes have burst|flooding|flooded|water (pouring|everywhere|coming through)|gas leak|smell gas|smell of gas|smells of gas|sparking|sparks|on fire|smoke|carbon monoxide)",
    "%2 (heating|power|electricity|electric|water|gas|hot water|heat)('s| is|'s been| has been| is still| has gone| went| gone)? (off|out|down|cut off)",
    "%2 no (heating|heat|power|electricity|hot water|water|gas) (at all|since|for|and|with|in)",
    "%2 (stolen|been hacked|fraud|fraudulent|scammed|someone (has|is) using|not me) ", "%2 (turning|sending|losing) (people|customers|clients|guests) away",
    "%2 help (fast|now|quickly|urgently)", "%2 (need|needs|want) (it|this|that|them|help|someone|somebody|you|an engineer|a reply|an answer|a decision|a refund|a replacement|my money|the money|a fix|something done|action) ** now", "%2 ^now (.|!)", "%2 now !",
    "%2 (time sensitive|time-sensitive|time critical|life or death|critical)", "%2 (desperate|desperately)",
    "%2 running out of (time|battery|charge|money|medication|insulin|formula|food)",
    "%2 (every|any) minute", "%2 no time", "%2 $cant wait (any longer|much longer|another|until|till|for|that long|days|weeks|a week)",
    "%2 (stranded|stuck) (on|at|in|outside|here)", "%2 broken down", "%2 broke down",
    "%2 locked out", "%2 top priority",
    "%2 (prescription|medication|meds|insulin|inhaler|oxygen|formula|nappies|diapers|food|medicine) (runs out|run out|ran out|is running out|will run out|has run out|have run out|is finished|are running out|running low|is low)", "%2 (production|prod|live site|website|site|server|servers|checkout|payments|payment system|payment page|till|tills|pos|card machine|card reader|platform|portal|system|systems|booking system|online shop|store|api) (is|are|has|have|went|'s|has gone|have gone|keeps going)? (down|offline|not loading|crashed|crashing|not working|stopped working|unavailable|inaccessible|broken)", "%1 (outage|outages)", "%2 (outage|outages) (now|right now|ongoing|still|since|this morning|today|all day|for hours)", "%2 (data loss|security breach|data breach|compromised|ransomware|account takeover)",
    "%2 (all|none of|half of|most of|every one of) (our|my|the) (users|customers|staff|employees|clients|patients|students|team|orders|stores|branches|sites)", "%2 (clients|customers|patients|students|users|staff|guests|passengers|tenants|residents) (can't|cannot|are unable to|unable to|aren't able to|are not able to|can not|couldn't)", "%1 (locked out of|can't access|cannot access|can't get into|cannot get into|lost access to|can't log into|cannot log into|can't log in to) (my|our|the) (account|accounts|system|email|bank|portal|money|funds|app|online banking)",
    "%1 (benefits|benefit|payments|payment|universal credit|pension|allowance|wages|salary|pay|payout|loan|grant|bursary|stipend) (has|have|was|were|is|are)? (stopped|suspended|cut off|not paid|not arrived|not come through|never arrived|missing|bounced)",
    "%2 need to know (now|today|asap|right now|straight away|immediately)", "%2 (don't|do not|dont) feel safe", "%2 (not|un) safe (tonight|at home|here|now|to stay|in my home|in the house)",
    "%2 (someone|somebody) (has|'s|has got|'s got|got|is|'s been|has been) (into|access to|hold of|in|using|accessing) (my|our) (account|card|details|email|phone|bank|online banking|app)", "%2 (passed|sent|referred|handed|gone|given) (to|over to) (a|the)? (debt collection|debt collectors|collections|collection agency|debt collection agency|bailiffs|enforcement|recovery agency)", "%2 (now|i'm now|i am now|and now i'm|leaving me|left me|i've gone|i have gone|gone) overdrawn",
    "%1 overdrawn", "%2 (#|only|just) (pounds|quid|dollars|euros|bucks) left", "%2 (taken|took|emptied|drained|cleared out|withdrew|withdrawn) (everything|all my money|all the money|all our money|my account|our account|the account|my savings|our savings)",
    "%1 (card|payment|transfer|direct debit) (got|was|has been|keeps getting|keeps being|is being|just got)? (declined|rejected|refused|blocked|bounced|failed)", "%2 $cant be without (the|my|a|our) (car|phone|heating|power|water|internet|wheelchair|medication|van|fridge|landline)",
    "%2 (fix|sort|do|send|refund|cancel|stop|block|unblock|answer|reconnect|help|call|ring) ** now (.|!|please|pls|plz|!!)",
    "%2 (got|have|with|only|just) # left (in|on|until|till|to|for|and|.|!|,)",
};
static const char *const urg_repeat[] = {
    "%2 $ord (call|email|message|chat|attempt|request|complaint|contact|letter|time (i|i've|ive|we|we've) (called|rung|phoned|emailed|written|chased|contacted|asked|complained|messaged|reported|had to))", "%1 $ord (time|engineer|visit|week|day|person|agent|advisor|adviser|department|one)",
    "%2 (transferred|passed|put through|cut off|bounced|redirected) ** (# times|twice|again)", "%2 (on the phone|on hold|waiting|in the queue|in a queue) [for] (# $period|an hour|over an hour|hours|ages)",
    "%2 # $period on hold", "%2 # (hrs|hours|hr|hour) # (mins|minutes|min) [on hold]",
    "%2 $contacted ** # (times|time)", "%2 (# times|twice) (now|already|this week|this month|today|already)",
    "%2 # (calls|emails|messages|chats|complaints|engineers|visits|attempts|letters|phone calls)",
    "%2 not the first time", "%2 (yet|once) again", "%2 again and again", "%2 over and over",
    "%2 every time i (call|ring|phone|contact|chat|message|email)",
    "%2 (keep|kept) (getting|being) (told|passed|cut off|transferred|fobbed|promised|fobbed off|ignored|sent)",
    "%2 (nobody|no one|noone|no-one) (has|ever)? (called|rang|replied|responded|come|came|turned up|showed up|got back|gotten back|bothered|contacted)",
    "%2 (been|waiting|waited|on hold) [for] (hours|days|weeks|months|ages|forever|over an hour|an hour|all day|all morning|# (hours|days|weeks|months))",
    "%2 ($ive|i have) been (told|promised) ** (before|already|twice|times|each time|every time)",
    "%2 (chasing|chased) (this|it|you|for)",
    "still (waiting|not|no|nothing|haven't|hasn't|don't|doesn't|can't|isn't|broken|down|off|without|unresolved|outstanding|pending|going on|happening|the same|here|stuck)",
    "%2 (twice|three times|# times) (now|already|this week|this month|today)",
    "%2 $ord (ticket|case|follow-up|reminder|escalation|enquiry|inquiry|query|chaser|time asking|time explaining|portal message)", "%1 $ord (application|form|claim|appointment|submission|report|rep|representative|technician)", "%2 (reopened|re-opened|re-raised|reraised|resubmitted|re-submitted|re-sent|resent|re-uploaded|reuploaded|re-filed|refiled) ** (# times|twice|again|ticket|case|claim|form|application|documents)", "%2 (#|several|multiple|numerous|countless|so many) (tickets|cases|claims|applications|enquiries|inquiries|queries|forms|portal messages|chasers) ",
    "%2 (still|again) (no|not a|not one|no one|nothing) ** (reply|response|answer|update|decision|refund|payment|callback|call back|word|contact)", "%2 (weeks|months|days) (later|on|of chasing|of waiting|of back and forth|and (still|nothing|no))",
    "%2 $ord time (contacting|calling|ringing|phoning|emailing|writing|chasing|asking|complaining|reporting|(i'm|im|i am|we're|we are) (calling|ringing|writing|contacting|emailing|chasing|asking|phoning))", "%2 (writing|calling|ringing|contacting|emailing|chasing|phoning|messaging|complaining) ** for the $ord time",
};
static const char *const urg_loss[] = {
    "%2 (losing|lost|lose|lose out on|losing out on|missing out on) (money|work|business|clients|a client|customers|income|wages|pay|sales|orders|a day's|days of|my job|bookings|jobs|contracts|a contract|shifts|a shift|trade|earnings)",
    "%2 $cant (work|do my job|do my work|get any work done|get to work|trade|open|run my business|take payments|take card payments|log in to work)",
    "%2 unable to (work|trade|take payments)", "%2 (missing|missed|miss) (work|shifts|a shift|a day of work|meetings|a meeting|client calls|a client call|the call|deadlines|a deadline|my flight|the flight)",
    "%2 costing me (money|£|$|a fortune|#|business|clients|work)", "%2 (out of pocket|losing £|losing $)",
    "%2 my (business|shop|livelihood|income|clients|customers) ** (suffering|depends|relies|can't|cannot|losing)",
    "%1 (work from home|working from home|wfh|self-employed|freelance|freelancer|my business|small business)",
    "%2 (paying|spending|forking out|paid|spent) (for|on) (taxis|a taxi|hire cars|a hire car|buses|ubers|hotels|a hotel|childcare|takeaways|launderettes|a launderette|the launderette|laundrettes|a rental|rentals|a plumber|an electrician)",
};
static const char *const urg_some[] = {
    "soon", "a while", "for ages", "for a while", "(several|a few|a couple of|couple of|#) (days|weeks|months) (ago|now|already)",
    "(since|from) [last] ($day|week|month|weekend|yesterday|last week|last month)", "been waiting",
    "waiting (for|on|since)", "any (update|updates|news|progress)", "when (will|can|do|is) ** (arrive|get|be|come|fixed|sorted|back|refund|done|happen)",
    "how (long|much longer)", "(chasing|following up|follow up|following-up)", "by now",
    "should (have|'ve) (arrived|been|come|got)", "was (supposed|meant|due) to", "overdue", "(is|was|running|arrived|came|turned up) late", "delayed",
    "(it's|it has|its|that's|it's now|it has now) been ** # (days|weeks|months)", "%1 (don't|do not|dont) know if (it's|it is|this is|they're|they are) safe",
};

/* --- customer bids --- */
static const char *const bid_emotion[] = {
    "$feel ** (stressed|worried|scared|furious|upset|frustrated|anxious|panicking|devastated|gutted|livid|angry|annoyed|fuming|heartbroken|distraught|terrified|afraid|frightened|desperate|exhausted|overwhelmed|embarrassed|humiliated|ashamed|shaky|shaken|helpless|hopeless|miserable|sad|depressed|disappointed|let down|fed up|sick|tired|done|frantic|nervous|on edge|a wreck|a mess|in a state|freaking out|struggling|broken|confused|lost|unsafe|vulnerable|alone|isolated|lonely|disgusted|appalled|outraged|irritated|exasperated|drained|worn out|beside myself|in tears|crying|at breaking point|at the end of my tether|at my wits end|at my wit's end|at my wits' end|losing my mind|going mad|going crazy|not coping|not in a good place|really struggling|petrified|dreading|sick with worry|worried sick|panicked|close to tears|on the verge of tears|heartbroken|mortified|stupid|silly|foolish|an idiot|like an idiot|awful|terrible|horrible|rubbish|guilty|bad|uneasy|concerned|gutted|raging|seething|unhappy|distressed|traumatised|traumatized|shocked|shook)",
    "(this|it|that|which|everything|all this|all of this|this whole thing|the whole thing) ($isnt|is|has been|'s been|was|is getting|feels|has become|is becoming|is turning into) ** (a nightmare|stressful|a disaster|hell|awful|horrible|terrible|exhausting|unbearable|distressing|upsetting|frightening|scary|heartbreaking|humiliating|embarrassing|too much|so much|overwhelming|draining|a mess|killing me|breaking me|ruining|destroying|impossible|a living hell|soul destroying|soul-destroying|miserable)",
    "what a nightmare", "(this|it's|its|an absolute|a total|a complete|a living) nightmare",
    "$feel like (a|an) (mug|fool|idiot|joke|number|criminal|liar|nuisance|burden)", "all over the place",
    "(been|had|having) a (rough|tough|hard|difficult|horrible|awful|terrible|stressful|bad|nightmare) (time|few|couple|week|month|year|day|morning|night)",
    "(# hours|no|hardly any|barely any) sleep", "$ive not slept", "haven't slept", "(couldn't|can't|cannot) sleep", "$ive had (enough|it)",
    "$dont know what (else)? to do", "$dont know where to turn", "$dont know who (else)? to (ask|call|turn to|speak to|talk to)",
    "$cant (cope|take (this|it|any more|anymore)|deal with (this|it)|sleep|stop crying|handle (this|it)|do this (any more|anymore)|go on like this|keep doing this|face)",
    "(in|close to|on the verge of) tears", "crying", "panicking", "(freaking|stressing) out", "losing sleep",
    "sick with worry", "worried sick", "my heart (is|was|'s)? (going|racing|pounding|sank|sinking|in my mouth)", "shaking", "(so|really|absolutely) done",
    "not in a good place", "not coping", "struggling", "at (my|the) (wits|wit's|wits') end", "end of my tether",
    "(it's|its|it has|this has) (been|ruined|spoilt|spoiled) (a|my|our|the) (week|day|month|nightmare|holiday|weekend|birthday|christmas)",
    "(ruined|ruining|spoilt|spoiled|spoiling) (my|our|the) (day|week|weekend|holiday|birthday|christmas|trip|wedding|evening|plans)",
    "(so|really|very|beyond|extremely|incredibly) (frustrating|stressful|upsetting|worrying|annoying|disappointing|distressing|embarrassing|scary|frightening)",
    "i (just)? want (this|it) (to stop|over|sorted|to end|fixed)", "i'm not (okay|ok|alright|fine)", "not okay",
    "😢", "😭", "😡", "😤", "🤬", "😠", "😰", "😱", "😞", "😔", "😩", "😫", "☹️", "☹", ":(", ":-(", ":'(",
    "%2 (can't|cannot|cant) believe (this|it|you|how|that|i)",
    "(desperate|in despair|at a loss|losing hope|lost all hope|no hope left|beyond frustrated|beyond stressed|beyond upset)", "(this|it|the situation|all of this|the stress) (is|has been|'s been) [really|so|very|seriously|badly] (affecting|impacting|taking a toll on|harming|damaging) (my|our) (health|mental health|sleep|family|kids|children|work|studies|life|marriage|business|relationship)", "(keeping|kept) me (up|awake) (at night)?",
    "feel (like|such) (a|an) (mug|fool|idiot|joke|number|criminal|liar|nuisance|burden|failure|pest|nag|broken record|child|scammer|thief)", "(nobody|no one|noone|no-one) (ever)? (told|tells|warned|informs|informed|asked|explained|listens|listened|cares|cared|bothered) (me|us|to tell|to explain|to let)", "i (trusted|believed|relied on|depended on) (him|her|them|you|your|the|this)",
    "(they're|they are|he's|he is|she's|she is|the kids are|the children are|everyone is|we're all|we are all|my family is|my wife is|my husband is|my partner is|mum is|dad is|my mum is|my dad is) [so|really|very|getting|all] (worried|scared|upset|frightened|anxious|distraught|devastated|panicking|in tears|crying|beside (himself|herself|themselves)|confused|distressed|stressed)",
    "i [just|really|always|still|honestly|sometimes|constantly|kind of|kinda] (feel|felt) (so|really|completely|totally|very)? (empty|numb|worthless|invisible|pathetic|useless|hopeless|lost|alone|lonely|trapped|stuck|broken|exhausted|like a failure|like giving up|like a burden|like nobody|like no one|like everyone|like i'm|like im|like nothing)",
};
static const char *const bid_hardship[] = {
    "$cant afford", "$cant (pay|make) (it|this|the|my|rent|bills|that)", "unable to pay", "struggling (to pay|financially|with money|with bills|to make ends meet|to cover|for money)",
    "lost my job", "(been|got|was|being) (made redundant|laid off|let go|sacked|fired)", "made redundant", "laid off", "out of work", "unemployed", "no (money|income|savings|cash|wages)",
    "(on|living on|claim|claiming) (benefits|universal credit|pension|pip|disability allowance|jobseeker's|jobseekers)", "universal credit",
    "overdraft", "overdrawn", "in debt", "(my|the) debt", "arrears", "behind on (my|the)? (rent|bills|payments|mortgage)", "bailiffs", "debt collectors", "debt collection",
    "(eviction|evicted|homeless|repossess|repossession)", "food bank", "foodbank", "pay ?day", "payday", "paycheck to paycheck", "payday to payday",
    "every (penny|pound|cent|dollar)", "all (the money|i have|i had|my savings)", "(money|things|it) (is|are|'s) (tight|tough|hard)", "tight (at the moment|right now|this month|on money)",
    "(rent|mortgage) (is|was)? (due|money|payment)", "bills to pay", "$cant (feed|heat|eat|buy food|get food)", "no (food|heating|heat|hot water|power|electricity|water|gas|internet|phone|way to work|car|transport)",
    "without (any)? (heating|heat|hot water|power|electricity|water|food|gas|internet|a phone|a car|a cooker|a fridge|a bed|money|income|my wages|transport|a way)",
    "left (me|us) (with nothing|without|short|skint|broke|stranded|penniless)", "(skint|broke|penniless)", "out of pocket",
    "(fraud|fraudulent|scammed|been scammed|stolen|robbed|been hacked|hacked|identity theft|burgled|burglary|break-in|broken into)",
    "(flooded|flooding|flood|leak|leaking|burst pipe|fire|water everywhere|ceiling [has]? (come|came|fell) down|no roof|mould|damp|collapsed)",
    "(accident|crash|crashed|written off|broken down|broke down|stranded|stuck on the)", "late (fee|fees|charge|charges|payment fee)", "bank charges",
    "charged (twice|double|three times|again)", "double charged",
    "(haven't|have not|havent|don't have|do not have|dont have|can't find|cannot find) [got] ** (quid|pounds|money|dollars|euros|cash|that kind of money|that much)",
    "(cut|reduced) my (hours|pay|wages|salary)", "(student|pensioner|carer|on a low income|low income|minimum wage)", "(my|the|a) loan", "pension", "student loan",
    "(lost|stolen|missing|delayed|damaged) (my|our|the)? (luggage|bags|baggage|suitcase|passport|wallet|purse|documents|keys|visa|id|medication)", "(medical|hospital|vet|doctor's|dental|treatment|care home|funeral|legal|repair) (bills|bill|costs|fees)", "can't afford (my|the|our)? (medication|treatment|rent|deposit|fees|tuition|repairs|insurance|excess|premium|food|bills|childcare|funeral)",
    "(claim|application|appeal|request|referral|authorisation|authorization|pre-authorisation|prior authorization|visa|loan|mortgage|coverage|cover|refund|benefit|benefits) (was|has been|got|were|have been|is being|keeps being)? (denied|rejected|declined|refused|turned down|cancelled|canceled|stopped)", "(tuition|student|course|school|nursery|childcare) (fees|costs)", "financial (aid|hardship|difficulty|difficulties|trouble|struggles)",
    "(no|without|lost my|lost our|lost) (insurance|coverage|health insurance|cover)", "(uninsured|not covered|isn't covered|is not covered)", "(surgery|operation|procedure|treatment|chemo|appointment|flight|trip|wedding|move|completion) (has been|was|got|is)? (cancelled|canceled|postponed|delayed|pushed back|on hold)",
    "(stranded|stuck) (at|in) (the)? (airport|station|abroad|hotel|border|port)", "missed (my|our|the) (connection|connecting flight|flight|train|ferry)", "(we|i) (have|had) (nowhere|no where|no place) to (stay|live|go|sleep)",
    "(sofa|couch) surfing", "(temporary|emergency) (accommodation|housing)",
    "(benefits|benefit|universal credit|pension|allowance|wages|salary|pay|payout|stipend|bursary) (has|have|was|were|is|are)? (stopped|suspended|cut off|frozen|cut|reduced|not paid|not arrived|not come through|never arrived|missing|bounced)",
    "(choosing|choose|pick|picking|decide|deciding) between (heating|food|eating|rent|bills|medication|the bills)", "heat(ing)? or eat(ing)?", "(took|taking|booked|had to take|take|taken|lost) (a|the|another|two|three|#) (unpaid|whole|full|half|more)? (day|days|morning|mornings|afternoon|afternoons|half day|shift|shifts) off",
    "$cant (take|afford to take|get) (another|any more|more|a|the) (day|days|time|morning|afternoon|shift) off", "unpaid (day|days|leave|time off)", "(working|work|living|sleeping) (from|in|out of) (my|the|our) (car|van|library|cafe|coffee shop|parents'|friend's|sister's|brother's|mum's|mom's)",
    "(turning|sending) (people|customers|clients|guests|patients) away", "(my|all my|his|her) (banking|bank app|bank details|cards|money|savings|passwords|photos|contacts|work|business|medical records|prescriptions) (is|are|'s|was|were) (on|in) (it|there|that|the phone|my phone)",
};
static const char *const bid_vulnerability[] = {
    "(hospital|hospitalised|hospitalized|a&e|icu|intensive care|hospice|ward)", "(cancer|chemo|chemotherapy|radiotherapy|tumour|tumor|stroke|heart attack|seizure|seizures|epilepsy)",
    "(surgery|operation|op) ", "(surgery|operation)", "(disabled|disability|wheelchair|mobility|housebound|bedbound|bed-bound|bedridden|crutches|walking frame)",
    "(carer|caring for|care home|nursing home|in care)", "(elderly|pensioner|frail|old age|oap|retired)", "(pregnant|pregnancy|expecting a baby|due date|newborn|new baby|premature|baby|toddler|infant|twins)",
    "(passed away|passed|died|death|dead|bereavement|bereaved|funeral|widow|widowed|widower|terminal|terminally|dying|end of life|palliative|grieving|grief)",
    "(dementia|alzheimer's|alzheimers|diabetic|diabetes|insulin|oxygen|dialysis|medication|meds|prescription|epipen|epi-pen|epipens|allergy|allergic|asthma|inhaler|chronic|condition|illness|sick|ill|unwell|poorly|covid|flu|fever|infection|pain|injured|injury|broke my|broken (leg|arm|wrist|hip|ankle))",
    "(mental health|depression|depressed|anxiety disorder|ptsd|panic attacks|autism|autistic|adhd|blind|partially sighted|deaf|hard of hearing|hearing aid|learning disability)",
    "single (mum|mom|parent|dad|mother|father)", "(on my own|living alone|live alone|by myself|all alone|no one else|nobody else|no one to help|nobody to help|no family)",
    "(domestic abuse|domestic violence|abusive|abuse|coercive|controlling|restraining order|refuge|fled|stalking|stalker|harassing|harassment|threatened|unsafe|not safe|my safety|in danger)",
    "(my|our|his|her|the) ex", "ex (partner|husband|wife|boyfriend|girlfriend)", "recovering from", "just had (a|an|my)? (baby|operation|surgery|op|procedure)",
    "my (elderly|disabled|sick|poorly|vulnerable|frail|old|ill|dying|late) ", "my (elderly|disabled|sick|poorly|vulnerable|frail|old|ill|dying|late) $kin",
    "# (kids|children|little ones|babies)", "(kids|children|little ones)", "(my|our) $kin (is|was|has|'s|had|got|needs) ** (sick|ill|hospital|poorly|dying|passed|died|disabled|unwell|surgery|operation|cancer|care|vulnerable|elderly|allergy|allergic|autistic|condition|fall|fell|diagnosed)",
    "# (weeks|months) pregnant", "(years old|year old|year-old|yr old|yrs old)", "(blue badge|food parcel|social worker|support worker)",
    "(veteran|refugee|asylum|care leaver|foster|fostering|immunocompromised|immunosuppressed|transplant|miscarriage|ivf|stillbirth|chronic pain|special needs|visually impaired|hearing impaired|sight loss|hearing loss|neurodivergent|mental illness|bipolar|schizophrenia|eating disorder|suicidal|self-harm|self harm|overdose|addiction|rehab|shelter|hospice|palliative|terminally ill|life-limiting|long covid|ms|multiple sclerosis|parkinson's|parkinsons|als|mnd|copd|heart condition|kidney failure|sickle cell|cerebral palsy|down syndrome|down's syndrome)", "(my|our) (son|daughter|child|kid|baby|husband|wife|partner|mum|mom|dad|mother|father) (has|is|was|'s) (autistic|disabled|deaf|blind|diabetic|epileptic|asthmatic|in a wheelchair|non-verbal|nonverbal|on oxygen|on dialysis|in hospital|in icu|in intensive care|in surgery|in care|undergoing)",
    "# (week|weeks|month|months|day|days) old", "(week-old|weeks-old|month-old|months-old|day-old|year-old|years-old)", "in (my|his|her|their) (seventies|eighties|nineties|70s|80s|90s)",
    "(with|because of|since|after|not with) (my|his|her) (hip|knee|knees|back|heart|op|operation|fall|stroke|eyes|eyesight|hearing|condition|illness|health|memory|arthritis|legs|balance|breathing|lungs|chest)", "(i'm|i am|he's|he is|she's|she is|mum's|dad's) not (very|that|too|great)? (good|great|confident) (with|at) (all this|this|technology|tech|computers|phones|these things|apps|the internet|online|forms|numbers|reading|english)", "i (forget|get confused|lose track|struggle to remember|can't remember|cannot remember) (things|stuff|easily|on calls|on the phone|what)",
    "(lost|stuck|stranded|isolated|cut off|helpless) without (it|him|her|them|the phone|my phone|the car|my car|the internet|the landline|the chair|the wheelchair)",
};
static const char *const bid_effort[] = {
    "$contacted ** # (times|time)", "$contacted ** (twice|again and again|every day|every week|over and over|repeatedly|multiple times|countless times|numerous times|so many times|loads of times|several times|many times|a few times)",
    "# (calls|emails|times|phone calls|attempts|messages|chats|complaints|letters|visits|hours on hold|engineers)",
    "(tried|done|did|followed|tried out) (everything|all of that|all that|the lot|every|all the|all your|all the steps|what you|what the)",
    "$ive tried", "i tried", "(tried|try|trying) (restarting|resetting|turning|unplugging|rebooting|everything|again|twice|switching|reinstalling|updating|clearing|different|another|calling|ringing|emailing|chasing|to)",
    "(restarted|rebooted|reset|unplugged|reinstalled|updated|cleared|replaced|swapped|changed) (the|my|it|everything|them) ** (router|phone|hub|device|laptop|computer|modem|app|box|cache|cookies|settings|cable|cables|filter|it|times|again|twice)",
    "factory reset", "(spent|wasted|lost) ** (hours|days|all day|all morning|all afternoon|an hour|the whole|ages|weeks|the day|my weekend|my lunch|# (hours|minutes|days)|time)",
    "on hold for", "(hours|# minutes|an hour|ages|forever) on hold", "$ord time", "(explained|explaining|told|telling|repeated|repeating|gave|giving|given) ** (again|twice|three times|every time|each time|# times|over and over|already|multiple times|before|the same)",
    "been (passed|pushed|bounced|transferred|shunted|sent|fobbed) (around|from|between|off|back and forth|from pillar to post)", "pillar to post", "round in circles", "going (round|around) in circles",
    "(took|taking|booked|had to take) (a|the|another) (day|morning|afternoon|half day) off", "(waited|waiting|stayed) (in|home|at home) (all|for)", "(stayed|waited|sat) in (all day|all morning|all afternoon)",
    "(nobody|no one|noone|no-one) (came|turned up|showed|showed up|arrived|called|rang)", "(followed|did) (the|all|every|your|their) (instructions|steps|advice)",
    "(went|been|gone|drove|travelled|walked) (in|back|down|all the way) to (the|your|a) (store|shop|branch|depot|office|post office|centre|center)",
    "(already|have already|i've already|ive already|i already) (sent|provided|given|done|tried|explained|told|called|emailed|filled|uploaded|submitted|returned|paid|checked|restarted|reset)",
    "(chased|chasing) (this|it|you|them|for|up)", "(been|as) a [loyal] customer (for|since)", "# years (as a customer|with you|loyal)", "been with you [for] # years",
    "i (told|informed|asked|gave) (you|them|your) ** (before|already|on the phone|last|in|twice|months|weeks)", "$ive been (ringing|calling|trying|chasing|emailing|waiting) since",
    "(filled|filled in|filled out|submitted|completed|sent|uploaded) ** (form|forms|application|paperwork|documents) ** (# times|twice|again|three times|already|before)", "(same|the same) (documents|information|details|paperwork|form|forms|questions|story) ** (again|twice|# times|over and over|every time|each time)", "(every|each) (time|agent|person|rep|representative) ** (different|new|something else|another) (answer|story|reason|excuse|person)",
    "(different|conflicting|contradictory) (answer|answers|information|advice) (every|each) (time|call)",
};

/* --- agent: empathy mechanisms (EPITOME, Sharma et al. 2020) --- */
static const char *const er_formula[] = {
    "sorry for (the|any|this|that) (inconvenience|inconveniences|trouble|delay|delays|hassle|confusion|frustration|wait|issue|issues|problem|problems|disruption|disappointment|experience)",
    "(we|i) (apologise|apologize|apologies|apologised|apologized|regret) [for] (the|any|this) (inconvenience|inconveniences|trouble|delay|delays|hassle|confusion|disruption|frustration|issues|problems|issue|problem|wait)",
    "apologies for (the|any) (inconvenience|delay|trouble|wait|confusion|disruption|late reply|hassle|issues|frustration)",
    "(sorry|apologies) for (the|any) inconvenience [caused|this may have caused|this has caused|this may cause]",
    "any inconvenience [caused|this may have caused|this has caused|this may cause]", "(sorry|apologies) for the (late|slow|delayed) (reply|response)",
    "sorry (to hear|to learn|to read) (that|this|about that|about this|it)", "sorry about (that|this)", "$im sorry to hear", "$were sorry to hear", "sorry to hear you('ve|'re| have| are)",
    "sorry you('ve|'re| have| are) (had|been having|having|experienced|experiencing|facing|going through)",
    "we value (you|your custom|your business|our customers)",
    "we('re| are) sorry (for|to|about|that)", "our (sincere)? apologies", "(please)? accept (our|my) (sincere)? apologies", "(we|i) (sincerely)? apologise", "(we|i) (sincerely)? apologize",
    "i do apologise", "i do apologize", "my apologies",
    "sorry you feel", "sorry for (any|the) (frustration|upset|distress) (caused|this has caused|this may have caused)", "regret (any|the) (inconvenience|distress|upset)",
    "i'm sorry (about|for) (that|this|the trouble|the delay)", "sorry (about|for) the (wait|delay)",
    "(apologies|my apologies) (again|once again|for|about)",
};
static const char *const er_warm[] = {
    "$im $int (sorry|gutted for you|so sorry)", "(so|really|very|truly|terribly|genuinely|awfully|deeply|incredibly) sorry", "$im sorry",
    "that (sounds|sounded|must be|must have been|is|was|'s|'d be|would be) [really|so|absolutely|just|incredibly|genuinely|utterly|truly] (awful|stressful|exhausting|horrible|terrible|frightening|scary|rough|hard|difficult|tough|miserable|upsetting|worrying|distressing|infuriating|maddening|painful|like a nightmare|a nightmare|heartbreaking|unsettling|alarming|draining|disheartening|rotten|dreadful|grim|awful for you|hard for you|a lot|wearing|exasperating|horrendous|unacceptable|not okay|not ok|not good enough|not right|not on|a worry|concerning|frustrating|unfair|shocking|appalling)",
    "that('s| is) (awful|terrible|horrible|dreadful|rotten|rubbish|so hard|really hard|a nightmare|not okay|not ok|not good enough|not right|not on|unacceptable|heartbreaking|frightening|scary|upsetting|so stressful|really stressful|appalling|shocking|unfair|such a shame|a real shame|a shame|rough|tough|not fair|infuriating|maddening|worrying)",
    "what a (nightmare|horrible|awful|terrible|rotten|stressful|worrying|frightening|scary|rubbish|miserable|difficult|hard|shock|shame|pain|mess|worry|start)",
    "how (awful|horrible|stressful|frightening|upsetting|scary|terrible|dreadful|worrying|distressing|frustrating|infuriating|maddening|rotten|heartbreaking|exhausting)",
    "i can only imagine", "$cant imagine", "i can imagine", "oh no", "oh dear", "oh goodness", "oh gosh", "oh my", "goodness", "gosh", "you poor thing", "bless you", "bless (him|her|them)",
    "%2 (sorry|so sorry) for your loss", "%2 (my|our) (deepest|sincere|sincerest|heartfelt)? condolences", "%2 my heart goes out", "%2 sorry to hear about your $kin", "%2 (i'm|im|i am) so sorry about your $kin",
    "$im [so|really|very] glad (you're|you are|you|your|that|he's|she's|they're|everyone|nobody|no one) ** (safe|okay|ok|alright|all right|fine|unhurt|well)",
    "$im [so|really|very] (glad|relieved|pleased) (to hear|that)", "i('d| would) be (upset|frustrated|furious|worried|annoyed|angry|livid|fuming|scared|devastated|gutted) too",
    "(wear|drive|stress|frustrate|upset|worry|fray|test) anyone", "would (wear|drive|stress|frustrate|upset|worry|fray|test|try) (anyone|anybody|anyone's|the patience)",
    "(gutted|heartbroken|horrified|appalled|shocked) (for you|to hear|to read|that)", "my heart sank", "i feel (terrible|awful|bad) (that|for|about)",
    "that's (really|so|very|genuinely) (not|un)(fair|okay|acceptable)", "what a (horrible|awful|rotten|stressful|terrible) (thing|experience|situation|week|day|time)",
    "(sending|send|sending you|big|virtual|so many|lots of|many|much) (hugs|hug|love|strength|good vibes|positive vibes|prayers|healing vibes)", "%e hugs", "*hugs*",
    "(hugs|hug) (to you|from me|if you want|if you need)", "i feel (for you|so bad for you|really bad for you|awful for you|terrible for you|for ya|for u)", "my heart (goes out|breaks|hurts|aches|sank)",
    "(breaks|broke|breaking) my heart", "heart breaks for you", "i [really|truly|sincerely|just|do] hope (you|things|it|everything|this|that|your|she|he|they|you'll|you're|tomorrow|life) ** (feel better|get better|gets better|improve|improves|work out|works out|look up|looks up|turn around|turns around|pull through|pulls through|recover|recovers|heal|heals|get through|find peace|find someone|find help|find what|find the|are ok|are okay|is ok|is okay|be ok|be okay|'re ok|'re okay|be alright|are safe|is safe|stay safe|better soon|some answers|the best|well soon|a better|kinder|easier)",
    "(hang|hold) in there", "stay strong", "be strong",
    "you('ve| have)? got this", "%e you can (do|get through) (this|it)", "you('re| are) not alone",
    "you are not alone", "not alone in this", "i('m| am) (always)? here (for you|if you|to listen|to talk)",
    "here (for you|if you need|to listen)", "(dm|pm|message|inbox) me (if|anytime|any time|whenever)", "you (don't|dont|do not) deserve (this|that|to|it|any of|what|how)",
    "you (deserve|deserved) (better|so much better|more|to be|happiness|love|peace|good things|a break|kindness|support|to feel|respect)", "nobody deserves", "that [really|truly|honestly|just|totally|fucking|absolutely] sucks",
    "(this|it|that) (really|truly|honestly|totally)? sucks", "so sorry (that|this|it) (happened|happens)", "that('s| is| was| sounds) [so|really|just|absolutely|pretty|fucking|truly|genuinely|incredibly|honestly|such a] (brutal|rough|shitty|crappy|sad|cruel|harsh|heartbreaking|devastating|hard|awful|horrible|terrible|unfair|messed up|fucked up|not fair|the worst|so wrong|horrific|traumatic|painful|heavy|lonely|scary|terrifying|upsetting|hurtful|disheartening|crushing|a lot|tough|difficult|frightening|stressful|exhausting|frustrating|horrendous|lousy|rubbish|depressing|infuriating|humiliating|isolating|overwhelming)",
    "what a (shitty|crappy|cruel|sad|awful|terrible|horrible|brutal|rough|tough|hard|painful|heartbreaking|devastating|unfair|lonely|scary) (thing|situation|experience|time|day|week|year|way|place)", "%e ^(aw|aww|awww|oof|ugh|damn|dang|geez|jeez|yikes)", "^(aw|aww|awww|oof|damn|dang|man|jeez) (that|that's|i'm|this|sorry|what)",
    "<3", "❤️", "❤", "🤗", "🫂", "💔",
    "(be|being) (gentle|kind|patient|easy) (with|to|on) yourself", "(take|taking) care of yourself",
    "look after yourself", "please (take care|stay safe|be safe|reach out|look after)", "i('m| am) [so|really|very|truly] proud of you",
    "i('m| am) [so|really|very|truly] glad (you('re| are) (here|still here|reaching out|okay|safe|alive)|you (posted|reached out|shared|wrote|said something|told|made it|got out|left))", "(there are|i have|i've got) no words", "(my|our) thoughts are with you",
    "thinking of you", "praying for you", "(i'm|i am|i'll be|i will be) (praying|rooting) for you",
    "(it|that) (takes|took) (a lot of)? (courage|guts|strength|bravery) to", "(it|that) (takes|took) (courage|guts|strength)", "(so|really|very|incredibly) brave (of you|to)",
    "it (gets|will get|can get|does get) better", "(things|it) (will|do|can) get better", "i promise (it|things) (gets|get|will get) better",
    "i('m| am) so sorry (you|that|for|to|about)", "(i'm|im|i am) sorry (you|that you|you're|you've|this|it) ", "(sorry|so sorry) (you('re| are) (going through|dealing with|feeling|hurting|struggling)|you (went|had to go|have to go) through)",
    "please (don't|do not|dont) (give up|hurt yourself|do anything|blame yourself|be so hard on yourself|beat yourself up)", "(don't|do not|dont) (be so hard on|beat) yourself",
    "(there's|there is)? nothing (is)? wrong with you", "$cant (even|begin to|possibly|really) imagine", "%e [i'm|im|i am] [so|really] glad you (did|do|are|asked|came|wrote|reached out)",
    "(it's|its|it is|that's|that is|is|must be|can be|gets|feels) [so|really|incredibly|very|super|truly|just|pretty|such] (exhausting|lonely|isolating|draining|heartbreaking|painful|terrifying|overwhelming|brutal|awful|horrible|tough|rough)",
    "(that's|that is|what|it's|it is|is|was|that was|such) a (really|truly|genuinely|proper|pretty|very|horribly)? $badadj (thing|start|spot|position|situation|experience|way|shock|time|day|week|night|morning|evening|weekend|first impression|surprise|place|one|moment|few days|year|month|thing to)", "(a|such a|what a) (real|proper|nasty|horrible|awful|big|huge)? (fright|shock|scare|blow|worry|nuisance|hassle|headache|ordeal)", "(that's|that is|that sounds|how|so|really|that must be|that's really|it's) (unsettling|worrying|upsetting|alarming|distressing|frightening|scary|stressful|rotten|miserable|nasty|maddening|disheartening|gutting|galling|infuriating|a pain|a nightmare|rubbish|grim)",
    "(would|'d|could|will|can) (knock|scramble|throw|rattle|shake|floor|frighten|scare|unsettle|panic|exhaust|flatten|break|unnerve|fluster|get to|upset|worry|stress|wear down|drive) (anyone|anybody|most people|any of us|the best of us)", "i('d| would) (be|feel|have been) (fed up|livid|stressed|panicking|the same|worried sick|beside myself|raging|fuming|gutted|devastated|upset|frustrated|furious|annoyed|angry|worried|scared) (too|as well|in your shoes|in your position)", "(so|really|very|just) glad (you|that you|he|she|they|everyone) (caught|noticed|spotted|called|rang|got in touch|told|mentioned|checked|are okay|is okay|are safe|is safe|'re okay|'re safe|got home|made it|didn't)",
    "%e (i'm|im|i am|so|really) glad", "glad to hear (it|that|this|you|he|she|they)", "(so|really|very) pleased (for you|to hear)",
    "^hope (your|you|you're|he|she|they|the|his|her|everything|things|it) ** (mends|heals|recovers|gets better|get better|feels better|feel better|is better|goes well|go well|goes smoothly|better soon|well soon|quickly|soon|okay|ok|alright|safe|good time|settles|improves)", "i [really|truly|do|just] hope (you|your|he|she|they|everything|things|the|his|her) ** (good time|good news|better|well soon|better soon|mends|heals|recovers|goes well|go well|goes smoothly|settles|improves|is okay|is ok|are okay|are ok|'re okay|is safe|are safe|stay safe|the best|lovely time|wonderful time|great time)",
     "fingers crossed (for|that|the|it|everything)", "(congratulations|congrats|many congratulations)",
    "(don't|do not|dont|no need to|please don't|please do not) (apologise|apologize|be sorry|feel bad|feel guilty|feel silly|feel stupid|feel embarrassed|feel awkward|feel like a burden|worry about (that|it|apologising|asking))", "nothing to (apologise|apologize|be sorry|be embarrassed|feel bad) (for|about)", "(not|never) (silly|stupid|daft|a silly question|a stupid question|a bother|a burden|a nuisance) (at all|question|to ask)?",
    "(you're|you are) not (a burden|a nuisance|silly|stupid|being silly|being stupid|bothering|wasting)",
    "^sorry", "%e sorry", "sorry (again|though|about|that|you|it|this|once again)",
};
static const char *const int_generic[] = {
    "i [completely|totally|fully|absolutely|really|do|can|definitely] understand", "we [completely|totally|fully|absolutely|do|can] understand", "i see", "i get (it|that)", "i hear you", "i hear (that|what you're saying)",
    "understandable", "understandably", "(that|it) makes [total|complete|perfect] sense", "i know (how|what|it's|its|that)", "i appreciate (that|how|this|it's|its|what)",
    "i understand (your|the) (frustration|concern|concerns|worry|worries|situation|position|point|upset|annoyance)",
    "i (can|do) see (that|why|how|where)", "i can tell", "i realise", "i realize", "that's fair", "fair enough", "of course", "absolutely",
};
static const char *const int_specific[] = {
    "that must (be|have been|feel|have felt)", "must (be|have been|feel|have felt) [really|so|very|incredibly|such]", "no wonder", "it sounds like (you|this|that|it|things)", "sounds like you",
    "so you('ve| have) (been|had|spent|tried|done|got)", "so you('re| are)", "$youve been (through|more than patient|really patient|incredibly patient|so patient|very patient|let down|messed around|passed around|fobbed off|left|waiting|chasing|trying|without|stuck|going round)",
    "you must (be|have been|feel|have felt)", "i can see (why|how|that|it's|its|this|you)", "of course $youre", "of course you('d| would| want| feel| are)", "of course you",
    "(that's|thats|that is|it's|its) a lot to (deal|cope|take|handle|manage|juggle|go through|carry)", "on top of (everything|all that|all this|that|it all|this|what|losing|the)",
    "$youve (clearly|obviously|definitely) been", "you('ve| have) had to", "you shouldn't have (to|had to)", "you should(n't| not) have to", "you had to",
    "$youve done everything (right|you could|correctly)", "(it's|its|that's|thats|that is|it is|none of this is|this isn't|this is not|it wasn't|that wasn't) [not|really|definitely|absolutely] [on] your fault", "nothing you did", "not your fault",
    "after everything (you've|you have)", "$id be (upset|frustrated|furious|worried|annoyed|angry|livid|fuming|scared|devastated|gutted|stressed|anxious|panicking) too",
    "(anyone|anybody) (would|'d) (be|feel)", "(wear|wore|drive|stress|frustrate|upset|worry|fray) anyone", "anyone's nerves", "completely understandable (that|you|to)", "(perfectly|totally|completely|entirely) (understandable|natural|normal|reasonable)",
    "(which|that) (means|meant|leaves|left) you", "(leaving|left) you (with|without|to|stuck|out of pocket|in)", "without (a|any) (way|means) to",
    "you('re| are) (worried|frustrated|upset|stressed|anxious|scared|angry|annoyed|fed up|exhausted|tired|concerned|nervous|disappointed|let down|right to be)",
    "the (last|worst) thing you (need|want|needed|wanted)", "when you('re| are) already", "while you('re| are) (dealing|trying|grieving|coping|in|at|looking after|recovering)", "at a time like this",
    "i know (how|what) (hard|stressful|frustrating|difficult|upsetting|worrying|scary|much)", "i appreciate (how|that this|this is|it's been) (hard|stressful|frustrating|difficult|upsetting|worrying|scary|much|a lot)",
    "you('ve| have) been (more than|really|incredibly|very|so|extremely) (patient|understanding|reasonable)", "you're right to (be|feel|want|ask|chase|complain)", "you('re| are) (absolutely|completely|totally|quite)? right",
    "^(right|okay|ok) so (the|your|this|that|you|tomorrow|today|it)",
    "i('ve| have) been there", "%e been there", "been there (too|myself|before|done that|as well)",
    "i was (in|there|at) (the same|a similar|that same|your|exactly your) (place|position|situation|boat|spot|shoes|state)", "(i'm|i am|we're|we are|i was|we were) in the same (boat|situation|position|place|spot)", "%e same here",
    "same (here|boat|situation)", "(the )?same (thing|exact thing) happened to me", "%e me too",
    "me too (.|!|,)", "i [can|totally|really|definitely|completely|100%] relate", "relatable",
    "i (know|get|understand) (the|that|this) feeling", "i know (exactly)? (how|what) (you|it|that|this) (feel|feels|'re feeling|are feeling|'s like|is like|was like|felt like|feel like)", "i (feel|felt) (the same|exactly the same|the exact same|that way|the same way|like that|this way|exactly like|the same about)",
    "i('ve| have) (felt|been feeling|had|dealt with|struggled with|gone through|been through|experienced|lived through|suffered|battled|fought) (the same|this|that|similar|something similar|the exact same|exactly|it|depression|anxiety|panic|grief|loneliness|the same thing|this too|that too|it too|similar things|something like)", "i (went|go|'m going|am going|was going) through (the same|something similar|this|that|it|similar|a similar|exactly)", "i had (the same|a similar|something similar|this|that) (happen|thing|problem|issue|experience|feeling|feelings|situation|when|too)",
    "(happened|happens) to me (too|as well|once|before|last|when)", "i (also|too) (have|had|struggle|struggled|feel|felt|deal|dealt|suffer|suffered|went|lost|get|got|hate|hated|was|am|used|know|know what)", "i (struggle|struggled|suffer|suffered|deal|dealt|live|lived|battle|battled) with (the same|this|that|it|similar|depression|anxiety|panic|ocd|ptsd|bpd|adhd|bipolar|grief|loneliness|insomnia|an eating disorder|self harm|self-harm|addiction)",
    "i used to (feel|be|have|think|struggle|get|hate|do|cry|believe|blame|worry)", "when i (was|went|lost|had|got|felt|moved|broke up|was going|lost my|was your age)", "i lost my $kin",
    "(my|our) $kin (also|too)? (died|passed|left|cheated)", "i (get|got|had|have) (panic attacks|anxiety|depression|that|this|those|the same) too", "you seem (to be|like|really|so|very|pretty|quite|to have|to feel|tired|exhausted|hurt|lonely|overwhelmed|down|stressed|upset)",
    "it seems (like|as if|as though) $you2", "seems like $you2", "you sound (like|really|so|very|pretty|quite|exhausted|tired|lonely|hurt|overwhelmed|stressed|upset|burnt out|burned out|worn out)",
    "sounds like (you're|you've|you have|you are|it's been|it has been|you were|you had)", "(it's|it is|that's|that is) (completely|totally|perfectly|absolutely)? (normal|okay|ok|understandable|natural|valid|human|fine) to (feel|be|have|want|not|cry|grieve|struggle|miss|need)", "your (feelings|emotions|feelings here|pain) (are|is) (valid|real|understandable|normal|important)",
    "(that's|that is|it's|it is) (completely|totally|so)? valid", "makes (total|complete|perfect)? sense (that|why) you", "no wonder (you|you're|you feel|it)",
    "you('re| are) (clearly|obviously) (a|someone|somebody|trying|struggling|hurting|exhausted|worn|carrying|doing)", "must (hurt|sting|leave|suck|have hurt|have been so)", "(you're|you are|you've been) carrying",
    "carrying (a lot|so much|all that|all of this|this)", "%e i feel you", "i understand (what|how) you('re| are)? (going through|feel|feeling|mean)",
    "i understand what it's like", "i can (only)? imagine how (you|hard|awful|lonely|scary|painful|difficult|frustrating|upsetting|much)", "(i|we) all (have|go through|feel|struggle)",
    "i had a (falling out|breakdown|miscarriage|panic attack|similar|rough|hard|tough|bad|terrible|difficult|horrible|really hard|breakup|break up|bad breakup|period|phase|year|time like that|friend who)", "%1 my $kin (didn't|did|was|had|has|passed|died|used to|never|went|suffered|struggled|left|cheated|lost|got|also|too)", "(it )?sounds like (she|he|they|your|you|this|that|things|it)",
    "you (worked|tried|fought|waited|gave|put|did) (so|really|very|such)? (hard|long|much|everything|your all|your best|all you could|what you could|in so much)", "i (get|understand|know|can see|can imagine) (how|why) (hard|heavy|painful|lonely|scary|difficult|frustrating|upsetting|much|awful|you|it|that|this)",
    "(that's|thats|that is|it's|its|it is) a lot to (process|take in|absorb|deal with|carry|hold|face)", "i was (exactly|just)? like (this|that|you)", "i('ve| have) been (exactly|just)? like (this|that|you)",
    "$youve been (struggling|hurting|suffering|feeling|carrying|dealing|holding|fighting|going through|coping|grieving|battling|living with)",
    "i('m| am) not surprised (you|you're|you've|you'd|that you|you are|you have)", "i('d| would) (be|have been|have|feel|have felt) ** (too|as well|in your shoes|in your position|the same)", "(it's|it is|that's|that is) not (on )?you",
    "(it's|it is) not just you", "(it's|it is|that's|that is) nothing you('ve| have)? (did|done|could have done)", "nothing you (did|could have done|have done)",
    "must have (given|made|left|put|caused|felt|been)", "you('ve| have)? (done|did) (exactly|absolutely)? the right thing", "you had every (reason|right) to",
    "(especially|particularly|all the more) (when|with|since|after|as|because|if) (you|you're|you've|you'd|your|you are|you have|it's your|he|she|they)", "when you('re| are) used to", "(that's|that is|it's|it is) a lot of (money|hassle|stress|time|waiting|calls|chasing|back and forth|to take in|to deal with|to lose)",
    "i can (certainly|completely|totally|fully|absolutely|really|definitely|well|easily) (understand|see|imagine)", "(understandably|naturally|of course) (you're|you'd|you are|you would|you've|you have|that's|that is)",
};
static const char *const exp_generic[] = {
    "(can|could|would) you tell me (more|a bit more|a little more|what happened|what's been happening|what has been happening|how (it|this|that) happened)", "tell me (more|a bit more|what happened)",
    "%q what happened", "how (has|did) (this|that|it) (affected|affect|impact|impacted)", "%q how did (that|this|it) happen", "%q what's been (going on|happening)", "walk me through",
    "%q how long has (this|it|that) been", "%q does that (work|help|cover you|sound okay|sound ok|sound good|make sense)", "%q (is|would) that (okay|ok|alright|all right) (with|for) you",
    "%q what (exactly)? (went wrong|happened)", "%q anything else (i|we) (can|should) (know|do)", "%q what (else)? (can|could) (i|we) do",
    "%q (would|will|does|did|could) (that|this|it) (help|do|suffice|be useful|be helpful|work|sound)", "%q does that (sound|feel|seem) (manageable|doable|okay|ok|alright|fair|right|reasonable|better)", "%q anything else on your mind",
    "%q ^$whq", "%q ^(so|and|but|okay|ok|also|then|well|oh|hmm|right) $whq", "%q ^$auxq $subjq",
    "%q ^(so|and|but|okay|ok|also|then|well|oh|hmm|right) $auxq $subjq", "%q (can|may|could) i ask", "%q if you (don't|dont|do not) mind (me)? (asking|my asking)",
    "%q what (does|do|did|would|will|could) ** look like",
    "%q ^did (anything|anyone|someone|something|somebody|anybody|things|he|she|they|one of them|any of them|either of them|everyone|everything)", "%q ^(so|and|but|okay|ok|also|then|well|oh|hmm|right) did (anything|anyone|someone|something|somebody|anybody|things|he|she|they|one of them|any of them|either of them|everyone|everything)",
};
static const char *const exp_needs[] = {
    "how are you (feeling|holding up|coping|doing|managing|getting on|bearing up|dealing)", "how are (you|the kids|things|they|he|she) (both|all|doing|coping|holding up)?",
    "are you (okay|ok|alright|all right|safe|hurt|somewhere safe|warm|at home|able to|in a safe)", "is (everyone|everybody|he|she|the baby|your $kin|your family) (okay|ok|alright|all right|safe|hurt|well)",
    "is there a (date|time|deadline|day) (you|that you|by which|when you)", "when (do|would) you need (it|this|the|them|a|an|one|your|to|that|something)", "%q what time do you need",
    "do you have (anything|someone|somebody|anyone|anywhere|somewhere|another way|a way|any way|access|enough|a backup|a spare|a neighbour|family|help|other|alternative|support)",
    "is there (someone|anyone|somebody|a neighbour|family|a friend) (who|that|with you|nearby|you can|at home|there)", "would it help (if|to|you)", "would (it|that) make (things|it|this|a difference)",
    "what would (work best|help|suit you|be (most|more)? (helpful|useful|best|easiest)|make (this|it|things) easier|you like|you prefer|you need|be ideal)", "what matters (most)?",
    "is there anything else (worrying|going on|bothering|on your mind|you're worried|you are worried|that's worrying|i should know|that would help)", "(has|did|is) (this|that|it) (left|leaving|affected|affecting|stopping|stopped|meant|meaning|putting) you",
    "are you able to (work|get|manage|cope|go|stay|use|access|make|pay|afford)", "how are you managing", "%q what do you need", "what would you like (me|us) to do",
    "have you got (more|any|other|a|anything|anyone|someone|somewhere) (calls|deadlines|plans|commitments|way|backup|back-up|help|family|appointments)",
    "do you need (it|anything|me|help|someone|a|the|them|this) ** (by|for|before|sooner|urgently|today|tomorrow|tonight|now)", "is (this|it) (affecting|stopping|preventing|keeping) you",
    "are you (working|travelling|traveling|home|at home|without|still without|on your own|alone|managing|safe|able)", "do you have (heating|power|water|food|medication|meds|hot water|electricity|somewhere to stay|a way)",
    "is there anything (i|we) (can|could) do to (make|help|ease)", "is that something (that)? (matters|you'd|you would|you want|that would)", "would you (prefer|rather)", "would you like (a|an|the|to|it|them|one|something|anything|somewhere|someone|more|some|any|us to call|us to ring|a call)",
    "what (time|day|date) (works|suits|would work|would suit) (best)? (for)? you", "%q how soon do you need", "%q is (that|this) (urgent|time-sensitive|pressing)",
    "%q how (is|are) (your|the) $kin", "%q (is|are) (your|the) $kin (okay|ok|alright|safe|well)", "%q what would make",
    "%q (what|how) (can|could) (i|we) do to (help|make)", "%q is there (a|any) (reason|way) (i|we) can help",
    "%q (what|how|why|when|where|who) ** (happened|happen|going on|started|start|changed|triggered|led|bothering|upsetting|worrying|troubling|wrong|feels|felt|hurt|helps|helped)",
    "%q (what|who) (makes|made|is making|has made) you", "%q (what's|what is|whats|is something|is anything|is it) (bothering|upsetting|worrying|troubling|hurting|eating) (you|at you)", "%q (want|wanna|like|need) to (talk|vent|chat) [about it|about that|about this]",
    "%q (anyone|someone|somebody) (to talk|you can talk|you could talk|you trust|to lean on|close to you|in your life|around you|with you)", "%q (has|have|did|does|do|is) (something|anything|anyone|someone|somebody) ** (happen|happened|changed|change|helped|helps|help|bothering|upset|upsetting|hurt|hurting|there)", "%q what would ** (look like|help|make|mean|feel)",
    "%q do you know why", "%q what do you think (led|caused|happened|triggered|is going on|started|made|brought|set)", "%q how (long|often) (have|has|do|did|does|are|is|had) (you|this|it|that|these|those|things)",
    "%q how (are|is|have) (things|life|everything|it) (going|been|at home|with you)", "%q how('s| is| has) (everything|life|it|things) (going|been)", "%q (are|were) you (okay|ok|alright|all right|safe|hurt|scared|alone|by yourself)",
    "%q (is|was) (it|this|that) (the first time|new|recent|always|something)",
};
/* Questions addressed to the customer about feelings, experience,
 * circumstances and their people, wider than the fixed lists above: they
 * count as needs questions only when the same sentence asks for no ticket
 * facts ("Have you talked to anyone?" yes, "have you got your account
 * number?" no), see resolve_broad(). */
static const char *const exp_broad[] = {
    "%q $you2 ** $feelw", "%q $feelw ** $you2",
    "%q $you2 ** $sitw", "%q $sitw ** $you2", "%q (what|which) (time|times|day|days|window|slot|date|dates) ** ($you2|$them3)",
    "%q (work|works|suit|suits|fit|fits) (best)? (with|around|for) ($you2|$them3|him|her|them)", "%q (is|are|does|do|did|has|have|will|would|was|were) $them3 ** (need|needs|want|wants|use|uses|like|likes|know|knows|struggle|struggling|manage|managing|cope|coping|doing|okay|ok|alright|safe|hurt|in pain|pain|scared|worried|upset|eating|sleeping|had|got|receiving|covered|added|keeping)", "%q how('s| is| are| has| have) * (doing|holding up|coping|feeling|keeping|getting on|managing|been)",
    "%q (anyone|anybody|someone|somebody) (in|at) (the|your) (house|home|household|family|property|flat)", "%q (anyone|anybody|someone|somebody) ** (elderly|vulnerable|unwell|disabled|ill|sick|pregnant|struggle|depends|relies|rely|depend|medical|young|little)", "%q (have|has) (you|he|she|they) got (enough|any|somewhere|someone|anyone|a way|another)",
    "%q (do|does) (you|he|she|they) have (enough|somewhere|someone|anyone|a way|another|any way)", "%q (can|may|could) i ask (what|how|why|when|whether|if|where|who|roughly|one thing|you)", "%q (just )?so i know",
    "%q (would|will|does|did|is) (that|this|it) (give you|leave you|be enough|be manageable|feel manageable|make things easier|make it easier|make life easier|take the pressure)", "%q is there (anything|something|a time|a day|a date|a stretch|a window|a spot|a place|somewhere|anyone|someone) ** (you|your|you're|you'd|he|she|they)", "%q (are|were) you (still|usually|normally|going to be|planning|hoping|counting|relying|working|travelling|traveling|staying|moving|expecting|home|in|around|free|available|able|covered)",
};
static const char *const exp_procedural[] = {
    "what('s| is) (your|the) (order|account|reference|ref|ticket|policy|phone|mobile|case|booking|tracking|customer|member|membership|claim|serial|meter|card|registration|reg|invoice|contract|imei|sort code|postcode|post code|email|e-mail|email address|full name|name|address|date of birth|dob) [number|no|id|address|reference]",
    "(can|could|may) (you|i) (please)? (confirm|have|get|take|grab|check|verify) (your|the|a) (name|full name|address|email|e-mail|date of birth|dob|postcode|post code|account|number|details|order|reference|phone|mobile|card|policy|booking|first line)",
    "^(please|kindly) (provide|confirm|send|share|supply|enter|reply with|forward|attach|upload)", "(could|can|would) you (please)? (provide|confirm|send|share|supply|forward|attach|upload|dm|message) (me|us)? (your|the|a|with)",
    "send (me|us|over) (a|the) (screenshot|photo|picture|copy|receipt|photos|pictures)", "(a|the) (screenshot|photo|picture) of",
    "have you tried (restarting|turning|rebooting|resetting|clearing|switching|unplugging|updating|reinstalling|logging)", "did you try", "have you (checked|restarted|tried)",
    "%q which (model|device|browser|card|account|address|branch|store|product|item|phone|plan|option|one)", "%q what (model|device|browser|version|make|colour|color|size|type of)",
    "can i take your", "may i have your", "can you spell", "is that the (address|number|email|account)", "first line of (your|the) address", "last (four|4|three|3) digits",
    "security (question|questions|check|checks|details)", "(verify|confirm) your (identity|details|account|address)", "for security (reasons|purposes)",
    "%q (what|which) (date|day|time) did (you|it|the)", "%q when did you (order|buy|purchase|place|last|first|receive|send|pay|notice)", "%q (is|was) (it|this|the) (the|a) (same|right|correct)",
    "%q how can (i|we) help", "%q what can (i|we) (help|do) (you)? with", "%q how may (i|we) (help|assist)", "%q is there anything else i can help",
    "%q (number|address|email|e-mail|postcode|zip|screenshot|receipt|invoice|serial|username|password|pin|iban|dob|reference|photo|photos)", "%q (order|account|policy|booking|confirmation|member|membership|case|ticket|claim|tracking|customer|reference|phone|mobile|card|routing|sort) (number|no|id|code|details)", "%q date of birth",
    "%q (your|the) (order|account|email|address|postcode|card|booking|policy|claim|ticket|reference)",
    "%q (can|could|would) you (check|confirm|send|provide|give|tell me|read|spell) (me)? (the|your|a|it|this|that|which|what)",
    "%q [is there] anything else (i|we) (can|could|may|might)", "%q is there anything else", "%q anything else (for|today|at all)",
    "%q (do|did) you need anything else", "%q (would|do) you (like|want) (me|us) to", "%q shall (i|we)",
    "%q (what|how) can (i|we) (do|help) [for|with] [you]", "%q (best|good|easiest) (way|number|time|email) to (reach|contact|call|email) you", "%q (copy|proof|documents|document|certificate|statement|form|id|letter|link|code|details|payee|tracking|serial|model|pin|passcode|login)",
};
static const char *const ownership[] = {
    "%2 $ill [personally|now|just|also|immediately|go ahead and|get|then|make sure to|straight away] (refund|fix|send|call|ring|phone|book|escalate|email|text|arrange|credit|cancel|waive|reverse|replace|reissue|issue|process|raise|log|order|dispatch|post|chase|transfer|switch|move|reset|unlock|unblock|remove|add|apply|put|sort|make sure|take care|look after|set up|schedule|reconnect|restore|upgrade|change|pay|cover|reimburse|compensate|contact|speak|follow up|check back|stay on|keep an eye|flag|push|expedite|prioritise|prioritize|write off|call you back|ring you back|get back to you|personally|handle|deal with|own|stay with you|confirm|update you|let you know|note|block|freeze|stop|open|lodge|submit|approve|authorise|authorize|release|resend|re-send|waive|courier|drop|bring|deliver|send out|ring back|come back to you)",
    "%2 $ive [just|now|already|also|gone ahead and|personally|then] (booked|refunded|sent|escalated|arranged|credited|cancelled|canceled|raised|logged|ordered|reset|unlocked|unblocked|waived|reversed|removed|added|applied|put|set up|scheduled|issued|processed|reissued|fixed|sorted|restored|reconnected|flagged|updated|changed|moved|switched|emailed|texted|called|spoken|noted|written off|paid|approved|authorised|authorized|marked|blocked|frozen|stopped|opened|lodged|submitted|expedited|prioritised|prioritized|upgraded|replaced|dispatched|posted|released|resent|re-sent|cleared|corrected|amended|requested|contacted|taken|made|got|found|traced|located|extended|matched|applied|reinstated|reactivated|activated|cancelled|voided|refunded|couriered|rebooked|re-booked|secured|reserved|held|placed|put through|pushed through)",
    "%2 $im (booking|sending|refunding|escalating|arranging|crediting|cancelling|canceling|raising|logging|ordering|putting|adding|writing off|waiving|sorting|calling|processing|issuing|reversing|removing|moving|changing|setting up|fixing|taking|marking|blocking|freezing|stopping|flagging|upgrading|replacing|dispatching|couriering|reinstating|reconnecting|restoring|going to)",
    "%2 let me (sort|fix|take care|handle|get|arrange|book|refund|escalate|chase|sort out|deal with|put|make|send|cancel|call|ring|own|personally)", "%2 i('m| am) on it", "%2 leave (it|this) with me",
    "%2 ($thats|$its|it's|its|that is|it has been|it's been|that's been|this is|all) (done|sorted|booked|fixed|refunded|cancelled|on its way|processed|arranged|confirmed|been (done|sorted|booked|refunded|processed|credited|waived|reversed|cancelled|arranged|escalated|fixed))",
    "%2 $youll (see|receive|get|have) (it|the|a|an|your|confirmation|that|them|this) ** (within|by|today|tomorrow|tonight|in|on|before|shortly|this|next|first thing|@time)",
    "%2 (i|we) (guarantee|promise)", "%2 you have my word", "%2 i('ll| will) (personally|make sure|keep an eye|check back|call you back|ring you back|own this|stay on)",
    "%2 (done|sorted|booked|refunded|cancelled) [.|!] ", "%2 i('ve| have) (got|put) (an|a|the) (engineer|courier|replacement|refund|credit|technician|driver) ",
    "$ill (look into|check|investigate|see what|find out|have a look|look at|review|take a look|try|see if|do my best|do what i can|get this|get that|get it|be in touch|keep you)",
    "$well (refund|fix|send|call|ring|book|escalate|email|text|arrange|credit|cancel|waive|reverse|replace|reissue|issue|process|raise|order|dispatch|post|cover|reimburse|pay|sort|get|have|make sure|be in touch|contact|update|look into|investigate)",
    "%2 (refund|credit|replacement|engineer|courier|technician|payment|compensation|voucher|goodwill|gesture) (has been|have been|is being|was|is) (issued|processed|booked|sent|arranged|applied|approved|dispatched|raised|scheduled|added|paid|on its way)",
    "(is|are|'s|it's|that's|it is|that is|they're|they are|everything's) (going out|being sent|being processed|being done|on its way|being fixed|being booked|being escalated|being refunded|being reissued|being replaced|being couriered|being dispatched|being reconnected|being restored|being unblocked|being unlocked|being prioritised|being prioritized|being expedited|going through|heading your way|heading to you|being sorted)", "(will|'ll|should) be with you (in|within|by|at|today|tomorrow|before|this)", "(is|are|'s) on (its|their|his|her) way (to you|now|already)?",
    "(an engineer|a technician|the team|someone|a driver|a courier|our engineer|my colleague|the specialist|a specialist|a manager|my manager|the crew|a crew|our team|the specialist team) (is|are|'s) (on it|on the way|on their way|on his way|on her way|working on it|looking at it now|dealing with it now|assigned|booked|dispatched|with you)", "(will|'ll) (call|ring|phone|contact|email|text|message|reply to|get back to|update) you (within|by|in|at|before|today|tomorrow|this|first thing|shortly)", "(you('ll| will)|you should) (hear|hear back|get an answer|get a reply|get a call|get a text|get an email) ** (by|within|in|before|today|tomorrow|this|at @time|shortly)",
};
static const char *const ownership_time[] = {
    "within (#|a|an|the next|the|one) (#)? ($period|working days|business days|working day|business day|hour|day|days)", "within the (hour|day|week|next hour|next # $period)",
    "by (tomorrow|today|tonight|$day|@time|@date|end of [the] (day|week)|the end of (today|the day|the week|the month)|noon|midday|this (afternoon|evening)|close of business|cob|eod|next week|lunchtime|# (am|pm))",
    "today", "tonight", "tomorrow", "this (morning|afternoon|evening|week)", "in the next (hour|# $period|few (minutes|hours|days)|half hour|couple of (hours|days))",
    "right (now|away)", "now", "straight away", "immediately", "at @time", "(on|this|next) $day", "first thing", "@time", "@date", "in (#|a|an|a couple of|a few) ($period|working days|business days)",
    "shortly", "asap", "as soon as (possible|it|the)", "before (you|the|your) ", "(on|by) the @date", "(on|by) @date",
};
static const char *const dismissive[] = {
    "%2 calm down", "%2 (there's|there is|theres) no need (to|for) (shout|shouting|be rude|swear|swearing|get angry|get upset|take that tone|raise your voice|be like that|that|that language|the attitude|to be so)", "%2 no need (to|for) (shout|be rude|swear|get angry|that tone|the attitude|that attitude)",
    "%2 $thats [just] (our|the|company|standard|bank|store|shop) policy", "%2 (it's|its|it is) [just] (our|company|the|standard) policy", "%2 (per|as per|according to|under) (our|the) (policy|policies|terms|terms and conditions|t&cs|t&c|t's and c's|rules|contract)",
    "%2 policy is policy", "%2 rules are rules", "%2 (i|we) (don't|do not) make the rules", "%2 $im just doing my job", "%2 take it or leave it",
    "%2 (there's|there is|theres)? nothing (more|else|further)? (i|we) (can|could) (do|offer)", "%2 ($i1) (can't|cannot|cant|can not) do anything", "%2 not much (i|we) can do", "%2 (it's|its|that's|thats|it is|that is) out of (my|our) hands",
    "%2 you (should have|should've|ought to have) (read|checked|kept|known|called|noticed|ordered|asked|contacted|waited|looked|used|gone|submitted|sent|taken|got|followed|told us|informed us|said)",
    "%1 if you('d| had) (read|checked|submitted|sent|called|told|contacted|followed|kept|done)", "%1 if (readings|it|they|this|the form|the payment) had been (submitted|sent|done|paid|returned)",
    "%2 (keep|be) (the chat|this chat|this call|this conversation|it|things) (respectful|civil|polite)", "%2 (isn't|is not|not|wasn't) something (i|we) (can|could) (change|do|help with|alter)",
    "%2 (the|that|this) (charge|fee|decision|outcome|bill|policy) (stands|remains|still applies)", "%2 (the|come to the) same (outcome|answer|result)", "%1 as far as (we're|we are|i'm|i am) concerned",
    "%2 (no|isn't any|there's no|there are no|not showing any) (fault|faults|problem|problems|issue|issues) (showing|on our end|on our side|our end|at our end|with our)",
    "%2 you (need|needed|have|had|ought) to (read|check) (the|our) (terms|small print|t&cs|policy|conditions|instructions|email|emails|website)", "%2 (it|this) (clearly|plainly) (states|says)", "%2 as (clearly)? stated",
    "%2 ($its|it's|its|this is|that's|thats) not (our|my|the company's|the bank's) (fault|problem|responsibility|issue|concern)", "%2 not (our|my) (fault|problem|responsibility|department|job|concern|issue)",
    "%2 as i('ve| have)? (already|previously|said|explained|stated|mentioned|told you) [said|explained|stated|mentioned|told you]", "%2 like i (said|told you|explained|mentioned)", "%2 as (already|previously) (said|explained|stated|mentioned)",
    "%2 i('ve| have)? already (told|explained|said)", "%2 it is what it is", "%2 $youll [just] (have|need) to (wait|be patient|accept|live with)", "%2 you('ll| will) just have to",
    "%2 (i|we) (can't|cannot|cant|can not) help you (with that|any further|further)?", "%2 (that's|thats|that is) not something (i|we) (can|deal|handle|do)", "%2 there's no point",
    "%2 $youre (overreacting|being (unreasonable|dramatic|difficult|rude))", "%2 (it's|its|it is|that's) not (that|a|such a) big (deal)?", "%2 (it's|its|it is) only (a|a few|#|one)",
    "%2 (that's|thats|it's|its) just how it (is|works)", "%2 (that's|thats|this is) how it works", "%2 if $youre not happy (you can|then|feel free)", "%2 (you can|feel free to) (always)? (go|take your business|leave|switch|cancel) (elsewhere|somewhere else)?",
    "%2 you (didn't|did not|failed to|never) (read|check|follow|tell us|inform us|update|contact us|call us|notify)", "%2 you must have (entered|typed|done|made|put|clicked|selected|ordered)", "%2 user error",
    "%2 you (were|have been|was) (told|informed|advised|notified|warned)", "%2 you (agreed|signed|accepted|consented) (to)?", "%2 (that's|thats|that is) not (true|the case|correct|what happened)",
    "%2 i (don't|do not) know what (else)? you (want|expect)", "%2 what do you (want|expect) me to do", "%2 these things happen", "it happens", "%2 not a big deal",
    "%2 (we're|we are|we) (not|cannot be|can't be|aren't) (liable|responsible|held responsible|accountable)", "%2 (we|i) (won't|will not|don't|do not|can't|cannot) (be offering|offer|give|make) (any)? (exceptions|exception|compensation|refunds|goodwill)",
    "%2 (there's|there is) nothing wrong (with|on) (our|the|my) (end|side|system|line)", "%2 (the|our) (system|records) (shows|show|says|say) (otherwise|you|that you|it was|it has)",
    "%2 (please|kindly) (stop|refrain|lower|moderate|watch)", "%2 (watch|mind) your (language|tone)", "%2 (i|we) (will|'ll) (end|terminate|disconnect) (this|the) (chat|call|conversation)",
    "%2 (that's|thats|that is) (just)? (the|your) (courier|bank|retailer|manufacturer|provider)('s)? (problem|issue|fault|responsibility)",
    "%2 you('re| are) not the only (one|customer|person)", "%2 we (get|have) (lots|loads|hundreds|thousands) of", "%2 everyone (else)? (has|is|gets)",
    "%2 (i|we) (can't|cannot|cant|can not|won't|will not|am unable to|are unable to|'m unable to) (refund|help|do|change|make|offer|waive|reverse|cancel|replace|escalate|give|transfer|speed|expedite|override|promise)",
    "%2 unfortunately (that's|thats|that is|it's|its|it is|there's|there is) (our|the|company|nothing|not|no)", "%2 (no|not) exceptions", "%2 (the|that) decision is final",
};
static const char *const deflect[] = {
    "someone (will|'ll|should|might|may) (look into|get back|be in touch|contact|call|ring|review|reach out|email|follow up|look at|be with)",
    "(we|we'll|we will|someone|the team|they) (will|'ll)? (be in touch|get back to you|get back)", "$well be in touch",
    "$youll (have|need) to (contact|call|ring|speak to|email|go to|visit|take (it|this|that) up|raise|log|submit|fill|complete|write|wait)",
    "you('d| would) (have|need) to (contact|call|ring|speak to|email|go to|visit|take (it|this|that) up|raise)", "(a|that's a|it's a) separate (issue|matter|department|team)",
    "(please)? (contact|call|ring|speak to|get in touch with|reach out to|email|visit|go to) (the|our|your) (bank|retailer|courier|manufacturer|other department|team|store|branch|provider|seller|supplier|insurer|landlord|installer|claims team|billing team|relevant|website|help centre|help center|faq|faqs|online form)",
    "(that's|thats|that is|this is|it's|its|it is) (a|another|the) (different|separate|other)? (department|team) ('s)? (job|issue|responsibility|matter)?", "wrong department", "not (my|our) department",
    "(i'll|i will|we'll|we will) pass (this|it|that|your (feedback|comments|complaint|details)) (on|along|to)", "i('ll| will|'ve| have) forward(ed)? (this|it|your)", "(it's|its|it has|this has|your case has|your complaint has) been (passed|escalated|forwarded|sent|referred) (to|on)",
    "the relevant (team|department|people)", "(our|the) (team|department|specialists|investigations team|back office|back-office) (will|'ll|should|may|can) (review|look|investigate|be in touch|contact|get back|assess|decide)",
    "(it's|its|it is|this is) (with|in) the (team|department|queue|system|process)", "(raise|submit|log|open|fill in|fill out|complete) (a|an|the) (ticket|complaint|form|request|claim|case) (online|on our website|via|through)?",
    "(check|see|visit|read) (our|the) (website|faq|faqs|help centre|help center|help pages|terms|community|forum|app)", "log in(to)? (to)? your account", "in due course", "(we|they) aim to (respond|reply|resolve)",
    "within (# )?(working|business) days", "(up to|allow) # (working|business)? days", "(there's|there is) a (queue|backlog|waiting list)", "(we|i) (have|'ve) no (control|visibility|way of knowing)",
};

/* --- emotion keywords, one list per GoEmotions label (strength: 1 weak
 * hint, 2 clear, 3 unmistakable) --- */
static const char *const emo_admiration[] = {
    "%2 amazing", "%2 (brilliant|fantastic|incredible|impressive|outstanding|superb|wonderful|excellent|exceptional|phenomenal)", "awesome",
    "%3 $youre [a|an|the|absolutely|such a|a real|an absolute] (star|legend|lifesaver|life saver|life-saver|hero|gem|superstar|angel|saint|best|diamond|credit)",
    "%3 $youve been (amazing|brilliant|great|fantastic|so helpful|wonderful|a star|incredible|really helpful|very helpful|so kind|very kind|brilliant)",
    "%2 (great|good|excellent|brilliant|fantastic|amazing) (job|work|service|help|stuff)", "%2 well done", "%3 above and beyond", "%2 (so|really|very|super|incredibly) (helpful|kind|patient)",
    "%2 (lifesaver|legend|star)", "%2 kudos", "%2 hats off", "%2 (impressed|impressive)", "%2 credit to", "%2 (respect|props)",
};
static const char *const emo_amusement[] = {
    "%3 (haha|hahaha|hahahaha|ha ha|hah|lol|lolol|lmao|lmfao|rofl|hehe|hehehe|xd|xD)", "%3 (😂|🤣|😆|😹)", "%2 (funny|hilarious|amusing)", "%2 made me laugh", "%2 (laughing|laughed)",
    "%2 :d", "%2 :-d", "%1 😄", "%1 😅", "%2 (ha|heh)",
};
static const char *const emo_anger[] = {
    "%3 (furious|livid|fuming|seething|incensed|enraged|irate|raging|outraged|apoplectic)", "%2 (angry|anger|angrier|mad|cross|pissed off|pissed|rage|outrage|outrageous|infuriated|infuriating)",
    "%3 (😡|🤬|😠|👿|💢)", "%3 how dare", "%2 (disgrace|disgraceful|appalling|appalled|scandalous|scandal|shameful)", "%2 sick and tired", "%2 (wtf|ffs)", "%2 what the (hell|fuck|f)",
    "%2 (fuck|fucking|fucked|shit|bullshit|bollocks|bastards)", "%1 (bloody|damn|dammit)", "%2 ($im|i am) done with", "%2 (absolutely|utterly|completely) (unacceptable|ridiculous|disgraceful)",
    "%2 (thieves|crooks|scammers|cowboys|con|daylight robbery|rip off|ripoff|rip-off)", "%2 (useless|incompetent)", "%2 (unbelievable|beyond a joke)",
};
static const char *const emo_annoyance[] = {
    "%2 (~annoyed|~annoying|irritated|irritating|irritation|~frustrated|~frustrating|frustration|exasperated|exasperating|infuriating|aggravating|aggravated|bugging|grating)",
    "%3 (fed up|fed-up|sick of|tired of|had enough|hacked off|cheesed off|browned off|sick to death)", "%2 (ridiculous|ridiculously|a joke|joke|laughable|absurd|pathetic)",
    "%2 (hassle|nuisance|a pain|a faff|faff|palaver|headache|pain in the)", "%1 again", "%1 seriously", "%2 (😤|🙄|😒|😑|😾)", "%2 (ugh|ughh|argh|arggh|grr|grrr|urgh|gah|pfft|tsk)",
    "%2 come on", "%1 (still|yet)", "%2 (useless|pointless|hopeless)", "%2 waste of (time|money|space|breath)", "%2 wasting (my|our) (time|money|day|morning)", "%2 not good enough",
    "%1 unbelievable", "%2 give me a break", "%2 for (god's|gods|goodness|heaven's|christ's|fuck's|pete's) sake", "%2 (jeez|geez|jesus|christ)", "%1 (typical|honestly|really)", "%2 (really|seriously) ?",
    "%2 (nightmare|shambles|farce|circus|mess)", "%2 (again and again|over and over|yet again|once again)", "%2 (messed|mucked|jerked|pushed|passed|fobbed) (around|about|off)",
    "%2 (going|gone|went) (round|around) in circles", "%2 no one (listens|cares|bothers|reads)", "%2 nobody (listens|cares|bothers|reads)",
};
static const char *const emo_approval[] = {
    "%2 (sounds good|sounds great|sounds perfect|sounds fine|that works|works for me|that's fine|thats fine|that's great|thats great|that's perfect|happy with that|that's brilliant|that'd be great|that would be great|that'll do|that will do)",
    "%1 (perfect|agreed|deal|excellent)", "%2 (👍|👌|✅)", "%1 (ok|okay|fine|great|good|alright|all right|sure|yes|yep|yeah|right|cool|nice|lovely)", "%2 (ok|okay) (great|perfect|thanks|thank you|good|brilliant|lovely|cool)",
    "%2 (that's|thats|that is) (fair|reasonable|helpful|good|great|ok|okay|fine)", "%2 fair enough", "%2 makes sense", "%2 (i|we) (agree|accept)", "%2 go ahead", "%2 yes please",
};
static const char *const emo_caring[] = {
    "%3 take care", "%2 hope (you|you're|you are|you have|your) ** (well|ok|okay|alright|good|great|nice|lovely|better|day|weekend|evening)", "%2 look after yourself", "%2 stay safe",
    "%2 bless you", "%1 no worries", "%2 get well soon", "%2 (i|we) hope (he|she|they|you) (gets|get|feel|feels|is|are) better", "%1 no rush", "%1 no problem",
    "%2 (have|enjoy) a (good|great|nice|lovely|wonderful) (day|evening|weekend|night|one|christmas|holiday)", "%2 (don't|dont|do not) worry", "%2 hope (it|things|everything) (goes|go|works out|gets)",
    "%2 (i|we) (care|cared|worry) about", "%2 (are|is) you (ok|okay|alright)", "%2 (you|your|yourself) (poor|safe|okay)", "%2 ❤️", "%1 (mate|love|dear|pet|hun|hon)",
};
static const char *const emo_confusion[] = {
    "%3 (~confused|~confusing|baffled|baffling|puzzled|puzzling|bewildered|bewildering|perplexed|mystified)", "%3 $dont understand", "%2 $dont (get it|get why|get how|follow)",
    "%3 ($doesnt|dont|do not) make (any)? sense", "%3 makes no sense", "%2 (no|zero) idea", "%2 not sure (what|how|why|if|whether|where|who|which)", "%2 $im lost",
    "%3 what (does|do) (that|this|you) mean", "%2 what do you mean", "%2 how come", "%2 how (is|can|could) (that|this|it) (be|happen|possible|right)", "%2 wait what", "%2 huh",
    "%1 ?!", "%1 ??", "%2 unclear", "%2 not clear", "%1 i thought", "%1 (why|how) (would|is|was|has|does|did|do|are|were|can|could)", "%2 (🤔|😕|😵|🤷|🤨)",
    "%2 $didnt know (who|what|where|how|if|whether|which)", "%2 $dont know (who|what|where|how|if|whether|which|why)", "%2 i (thought|was told|assumed|understood) (it|that|this|you|i)",
    "%2 (which|what) one", "%2 (contradict|contradicts|contradictory|conflicting)", "%2 (mixed|different) (messages|answers|information|stories)",
};
static const char *const emo_curiosity[] = {
    "%2 (i was|just|i'm|im|i am) wondering", "%2 (curious|curiosity)", "%2 i wonder", "%2 out of (interest|curiosity)", "%1 is it possible", "%1 can you tell me",
    "%1 how does", "%1 what happens (if|when|now|next|after)", "%1 do you know (if|whether|when|why|how|what|who)", "%1 any idea (if|whether|when|why|how|what)", "%1 (is|are|does|do|can|could|will|would) (there|it|you|i|they|this|that)",
};
static const char *const emo_desire[] = {
    "%2 i (want|wanted)", "%2 $id (like|love|prefer|rather)", "%2 i wish", "%2 i would (like|love|prefer)", "%2 (hoping|hope) (to|for)", "%2 (would|'d) love", "%2 i (just|really|only) want", "%2 all i want", "%2 if only",
    "%1 i need", "%2 (i|we) (really|desperately|badly) need",
};
static const char *const emo_disappointment[] = {
    "%3 (~disappointed|~disappointing|disappointment|gutted)", "%3 let (me|us) down", "%2 let down", "%3 expected (better|more)", "%2 i expected", "%3 not (happy|impressed|pleased|satisfied|great|good enough)",
    "%2 unimpressed", "%2 not what i (expected|ordered|paid for|wanted|asked for)", "%2 (a|such a|what a|real) (shame|pity)", "%1 (shame|pity)", "%2 really hoped", "%2 (was|were) hoping",
    "%2 never again", "%2 no longer (trust|use|recommend)", "%2 i used to (love|like|trust|recommend)", "%2 (poor|terrible|awful|bad|shocking|appalling|dreadful|lousy) (service|experience|customer service|communication|support)",
    "%1 (terrible|awful|rubbish|poor|bad|dreadful|lousy|shocking)", "%2 (sigh|*sigh*|smh)", "%2 (👎|😞|😔|😕|😒|😑|😩)", "%2 (been|as) a (loyal)? customer (for|since)", "%2 # years (with you|as a customer|loyal)",
    "%2 (all|after) (this|that) (time|waiting)", "%2 (still|again) (nothing|no|not|broken|waiting|wrong)", "%1 (only|just) (to|for) (be|get) (told|find)", "%2 (thought|expected) (better|more) (of|from)",
    "%2 (let-down|letdown)", "%2 not (fixed|sorted|resolved|working|done)", "%2 (unhappy|dissatisfied|displeased)",
};
static const char *const emo_disapproval[] = {
    "%3 (unacceptable|not acceptable|isn't acceptable|is not acceptable)", "%3 not (ok|okay|right|fair|on|good enough|acceptable)", "%2 (unfair|wrong|disagree|outrageous|absurd|nonsense|disgraceful|shocking|appalling|unreasonable|unjust|inexcusable|shameful)",
    "%2 i (don't|do not|dont) (agree|accept|think that's|think this is)", "%2 shouldn't (have|be|happen|need|take|cost)", "%2 should not (have|be|happen|need|take|cost)",
    "%2 how is (that|this|it) (fair|acceptable|ok|okay|right|reasonable|legal)", "%2 (formal)? (complaint|complain|complaining|complained)", "%2 no way", "%1 (ridiculous|rubbish|joke)",
    "%2 (i|we) (object|refuse|won't accept|will not accept)", "%2 (not|never) (paying|accepting) (that|this|for)", "%2 (should|ought to) (have|be) (done|told|informed|fixed|sorted)", "%2 (👎|🙅)",
    "%2 (bad|poor|terrible|shoddy|sloppy) (practice|form|service|show)", "%2 (you|they) (should|shouldn't|should've)", "%2 (not|isn't|never) (my|our) (fault|problem|responsibility)",
};
static const char *const emo_disgust[] = {
    "%3 (~disgusting|~disgusted|revolting|repulsive|sickening|sickened|nauseating|vile|gross|repugnant|yuck|yuk|ew|eww|ewww|grim|rancid|putrid|mouldy|moldy|filthy|rotten)",
    "%3 makes me sick", "%3 (🤢|🤮)", "%2 (disgrace|disgraceful)", "%2 (dirty|stinks|stank|stinking|smells|smelled|smelt)",
};
static const char *const emo_embarrassment[] = {
    "%3 (~embarrassing|~embarrassed|embarrassment|ashamed|humiliating|humiliated|humiliation|mortified|mortifying|awkward|cringe|cringey)", "%3 (i'm|im|i am|i feel|i felt|feel|feeling) [so|really|such] (stupid|silly|foolish|an idiot|like an idiot|dumb|daft|thick)",
    "%2 (how|so) (stupid|silly|foolish|dumb|daft) of me", "%2 is that (silly|stupid|daft|weird|odd)", "%2 (sorry|apologies) (to be|for being) (a pain|difficult|a nuisance|so slow|thick|useless)", "%2 sorry to (bother|trouble) you",
    "%2 sorry (if|that) (this|it|i) (is|was|am|'m|sounds) (all over the place|rambling|a mess|confusing|long|silly|stupid)", "%2 (😳|😬|😅|🙈)", "%2 (been very|was so|i've been) (foolish|stupid|silly|naive)", "%1 (foolish|silly|naive)",
};
static const char *const emo_excitement[] = {
    "%3 (~excited|~exciting|thrilled|pumped|stoked|buzzing|ecstatic)", "%3 $cant wait to", "%2 (woohoo|woo|yay|yippee|hooray|whoop)", "%3 (🎉|🥳|🤩|🙌)", "%2 can't wait !", "%2 looking forward to (it|getting|using|seeing)",
};
static const char *const emo_fear[] = {
    "%3 (scared|afraid|terrified|frightened|petrified|~frightening|scary|fearful|fear|feared|panic|panicking|panicked|spooked|horrified|terrifying)", "%3 (😱|😨|😰|😧)", "%2 (unsafe|not safe|in danger|dangerous|threatening|threatened|intimidated)",
    "%2 (shaking|shaky|shaken|trembling)", "%3 my heart (is|was|'s)? (going|racing|pounding|in my mouth)", "%2 freaking out", "%2 what if", "%2 worst case", "%2 (is it|is that|will it be|is he|is she|are they) (safe|dangerous|okay|ok|alright)",
    "%2 (nightmare|dread|dreading)", "%2 (alarmed|alarming|alarm)", "%2 (fraud|scam|scammed|hacked|stolen|someone else|not me) ", "%1 (fraud|scammed|hacked|stolen)",
};
static const char *const emo_gratitude[] = {
    "%3 (thank you|thanks|thankyou|thank u|thanx|thx|cheers|ta)", "%2 ty", "%3 (much|greatly|really|truly) appreciated", "%3 (i|we) (really|truly|genuinely|so|very much)? appreciate", "%3 appreciate (it|that|this|you)",
    "%3 (grateful|thankful)", "%3 (many thanks|thanks so much|thank you so much|thanks a million|thanks again|thank you again|thanks loads|thank you very much|thanks very much)", "%3 🙏",
};
static const char *const emo_grief[] = {
    "%3 (passed away|passed on|died|death|funeral|grieving|grief|bereavement|bereaved|mourning|widowed|widow|widower|lost my $kin|loss of my|late $kin|rip|memorial|cremation|burial|inquest|coroner|his ashes|her ashes|probate|executor|estate of)",
    "%3 (lost|losing) (him|her|them|my (husband|wife|mum|mom|dad|father|mother|son|daughter|partner|brother|sister|nan|gran|grandma|grandad|dog|cat|baby|best friend))", "%2 since (he|she) (died|passed|went)", "%2 (his|her) (voice|things|belongings|phone|account|number)",
};
static const char *const emo_joy[] = {
    "%3 (happy|delighted|thrilled|overjoyed|ecstatic|chuffed|elated|over the moon|made my day|great news|wonderful news|brilliant news|fantastic news|good news|so pleased|really pleased|very pleased)", "%2 (glad|pleased|yay|joy|lovely|wonderful|excellent|brilliant|fab|fabulous)",
    "%3 (😊|😁|😀|😃|😄|🙂|☺️|☺|😍|🥰|😌)", "%2 :)", "%2 :-)", "%2 :d", "%2 =)", "%2 love it", "%1 (perfect|great)", "%2 (finally|at last) (working|fixed|sorted|arrived|here)",
};
static const char *const emo_love[] = {
    "%3 (love you|love u|luv you|adore|adored)", "%2 (i love|we love|loving|lovely)", "%1 love", "%3 (❤️|❤|😍|🥰|💕|💖|💗|💓|💞|😘|♥️|♥|<3|xx|xxx)",
};
static const char *const emo_nervousness[] = {
    "%3 (~worried|worry|worries|worrying|~anxious|anxiety|nervous|nervy|~stressed|stress|stressful|on edge|uneasy|apprehensive|jittery|tense|edgy|dreading|dread|overwhelmed|frantic|flustered|rattled)",
    "%2 (concerned|concern|concerning)", "%3 (sick with worry|worried sick|can't sleep|cannot sleep|couldn't sleep|losing sleep|lost sleep|not sleeping|in a state|a bit of a state|freaking out|panicking|beside myself)",
    "%2 what if", "%2 (hope|hoping) (it's|its|it is|it isn't|it is not|nothing|this is|this isn't|that's|that isn't|he's|she's) ", "%3 (😟|😰|😬|😥|😓|😧|😖)",
    "%2 (is|will) (it|this|that|he|she|everything) be (ok|okay|alright|safe|fine)", "%2 (don't|do not|dont) know (if|whether|what) (it's|its|it is|this is|to do|i should|i can)", "%2 (not sure|unsure) (if|whether) (it's|its|it is|i can|i should|this is)",
    "%2 (scared|afraid|worried) (that|of|about|it|he|she)", "%2 (shaky|shaking|jittery)", "%2 (my heart|heart) (is|was)? (going|racing|pounding)", "%2 pressure",
};
static const char *const emo_optimism[] = {
    "%3 (hopefully|fingers crossed|here's hoping|optimistic|🤞)", "%2 looking forward", "%2 i hope (so|this|it|that|we|you|they|the)", "%1 hope", "%2 (should|will) be (fine|ok|okay|alright|sorted|good)",
    "%2 (confident|positive) (that|about|it)", "%2 (better|good) (soon|times|news)", "%2 (things|it) (will|should) (get|be)", "%2 (can't|cannot) wait to",
};
static const char *const emo_pride[] = {
    "%3 (proud|pride)", "%2 i (managed|figured|worked) (to|it|out)", "%2 (did|fixed|sorted|solved|found) it (myself|ourselves)", "%2 (nailed|smashed) it", "%1 (loyal|years) customer",
};
static const char *const emo_realization[] = {
    "%3 (oh|ah|ahh|aah|ohh) (i see|right|okay|ok|that makes sense|that explains|so that's|of course|wait|i get it|got it|understood|now i)", "%3 (just|only|now) (realised|realized|noticed|saw|remembered|twigged|clicked)",
    "%3 i (realise|realize|realised|realized|didn't realise|didn't realize|hadn't realised|hadn't realized|never realised|never realized)", "%3 (that|which) explains", "%2 makes sense now", "%2 i see now", "%2 (now i|so that's) (see|get|understand|why|what)",
    "%2 (turns|turned) out", "%2 it (seems|appears|looks like) (i|we|the|it)", "%2 i (forgot|forgotten|missed|overlooked) (that|to|it|the)", "%2 (penny|it) (dropped|clicked)", "%1 (oh|ah|ahh|ohh)", "%2 i (noticed|found|discovered)",
};
static const char *const emo_relief[] = {
    "%3 (~relieved|relief|phew|thank god|thank goodness|thank heavens|thank christ|thank fuck|what a relief|weight off|load off|huge relief|such a relief|oh good|that's good to know|good to know|breathe again|breathe easier|can relax|i can sleep)",
    "%2 (finally|at last)", "%3 (😌|😮‍💨|😅)", "%2 (oh|ok|okay) (phew|good|great|thank)", "%2 (that's|thats|that is) (reassuring|a weight|good to hear|great to hear)", "%2 (reassured|reassuring)",
};
static const char *const emo_remorse[] = {
    "%3 (my bad|my fault|my mistake|my own fault|my error|my apologies for|i messed up|i screwed up|i should have|i shouldn't have|i should've|i feel (bad|terrible|awful|guilty))",
    "%3 sorry (if|for|that) (i|i'm|im|i've|i was|being|my|the rant|ranting|shouting|snapping|losing|getting|the tone|going off|venting|swearing|earlier|before|the caps)",
    "%3 sorry i (was|got|snapped|shouted|lost|went|swore|wasn't)", "%3 sorry to (be|have been) (rude|short|a pain|difficult|snappy|angry|abrupt|harsh|off)", "%3 (didn't|did not) mean to",
    "%3 (regret|regrets|regretting|guilty|guilt)", "%3 (apologise|apologize|apologies) for (being|my|the|snapping|shouting|earlier)", "%2 sorry about (earlier|before|that|my)", "%1 sorry", "%2 (🙇|😔)",
};
static const char *const emo_sadness[] = {
    "%3 (sad|upset|heartbroken|heartbreaking|devastated|devastating|miserable|depressed|depressing|crying|cried|in tears|tears|tearful|distraught|broken-hearted|broken hearted|grief|grieving|despair|despairing|sorrow|unhappy|lonely|hopeless|heartbreak|down in the dumps|low)",
    "%3 (😢|😭|☹️|☹|😞|😔|😿|💔)", "%3 :(", "%3 :-(", "%3 :'(", "%2 (gutted|alone|exhausted|worn out|drained|struggling|not in a good place|feel awful|feel terrible|feel rubbish|feeling low|feeling down)", "%1 (terrible|awful|horrible|miss (him|her|them))",
    "%2 (passed away|passed|died|lost my|funeral|the loss)", "%2 (no|nothing) (left|to look forward)",
};
static const char *const emo_surprise[] = {
    "%3 (wow|whoa|woah|omg|oh my god|oh my gosh|oh my goodness|oh my days|blimey|crikey|gosh|goodness|good grief|good lord|holy|jeez|bloody hell)", "%3 (can't|cannot|cant|couldn't) believe", "%3 (~shocked|~surprised|~surprising|astonished|astonishing|stunned|amazed|speechless|gobsmacked|flabbergasted|taken aback)",
    "%2 (unexpected|unexpectedly|out of nowhere|out of the blue|suddenly|no warning|without warning)", "%2 no way", "%2 (really|seriously|what) ?", "%3 (😮|😲|😯|🤯|😳|😱)", "%2 what ?!", "%2 (i|we) (wasn't|was not|weren't|were not) expecting",
    "%2 (didn't|did not|never) expect", "%2 (oh|ooh|ohh) !", "%1 (oh|ooh|ohh)", "%2 (unbelievable|incredible)",
};

/* --- sarcasm building blocks --- */
static const char *const sarc_opener[] = {
    "%e ^(great|perfect|wonderful|brilliant|fantastic|lovely|awesome|excellent|super|marvellous|marvelous|terrific|nice|cool|splendid|fabulous|amazing|fab|superb|charming|delightful)",
    "%e ^(oh|ah|well|yeah|just) (good|great|joy|lovely|wonderful|perfect|brilliant|fantastic|nice|super|terrific|marvellous|fab)", "%e ^(thanks|thank you|cheers) (a lot|so much|very much|for that|loads)",
    "%e ^(thanks|cheers|thank you)", "%e ^(so|very|really) (helpful|useful)", "%e ^(how|just) (lovely|nice|helpful|wonderful|convenient|great|brilliant|perfect)",
    "%e ^(well|oh) (done|great)", "%e ^(great|perfect|brilliant|fantastic|lovely|wonderful) (stuff|job|work|service)",
};
static const char *const sarc_direct[] = {
    "%2 thanks for nothing", "%2 (just|exactly) what i (needed|need|wanted)", "%2 just great", "%2 yeah right", "%2 oh (joy|goody)",
    "%2 (love|loving|i love) (paying|waiting|being|getting|having|spending|chasing|sitting|repeating|explaining) ** (for|on|told|again|hours|more|your)",
    "%2 (thanks|cheers|thank you) for (nothing|wasting|the (useless|non-existent|zero)|absolutely nothing)", "%2 (great|brilliant|fantastic|wonderful|perfect|lovely) (customer)? service (as usual|as always|again)",
    "%2 (what|such) (great|brilliant|fantastic|wonderful|excellent|amazing) service", "%2 so glad i (pay|paid|chose|switched)", "%2 (really|so) (helpful|useful) (as|not)",
    "%2 (another|more) (great|brilliant|wonderful|fantastic) (day|week|weekend|evening|experience)",
};
static const char *const neg_situation[] = {
    "another", "again", "still", "without", "nothing", "broken", "never", "not (working|fixed|sorted|arrived|here|resolved|done|connected|delivered)", "$doesnt work",
    "(stopped|stop|stops) working", "down", "dead", "lost", "late", "missing", "cancelled", "canceled", "wrong", "useless", "waste", "wasted", "(more|another) # $period",
    "no (internet|signal|service|reply|replies|response|answer|word|update|updates|help|money|power|water|heating|heat|phone|wifi|wi-fi|one|refund|delivery|parcel|engineer|show|callback|call|call back|news|contact|food|tv|broadband|connection|light|lights|hot water|car|idea|sign|way)",
    "(# |a |an |one |two |three )?(more )?(hours|days|weeks|months) (of|without|with no|on hold)", "on hold", "depends", "(charged|charge|fee|fees|penalty|fine)",
    "(told|tell) (me|us) (to wait|nothing|again|to call)", "(wait|waiting) (another|again|more)", "(no one|nobody|noone) (came|called|replied|answered|turned up|showed)", "only to",
};

/* Words never used as evidence that an agent took up the customer's own
 * situation: function words plus the vocabulary every service chat shares. */
static const char *const stopwords[] = {
    "the", "a", "an", "and", "or", "but", "so", "if", "then", "than", "that", "this", "these", "those", "there", "here", "it", "its",
    "it's", "i", "i'm", "i've", "i'll", "i'd", "me", "my", "mine", "myself", "you", "you're", "you've", "you'll", "you'd", "your", "yours", "yourself",
    "we", "we're", "we've", "we'll", "us", "our", "he", "she", "him", "her", "his", "hers", "they", "them", "their", "they're", "who", "whom", "what",
    "which", "when", "where", "why", "how", "is", "am", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did",
    "doing", "done", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "not", "no", "nor", "don't", "didn't", "doesn't", "can't",
    "won't", "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't", "hadn't", "couldn't", "wouldn't", "shouldn't", "of", "in", "on", "at", "to",
    "for", "from", "by", "with", "about", "into", "onto", "over", "under", "up", "down", "out", "off", "again", "just", "also", "too", "very", "really",
    "so", "quite", "all", "any", "some", "more", "most", "much", "many", "one", "ones", "other", "another", "such", "own", "same", "only", "now", "yet",
    "still", "already", "even", "ever", "never", "there's", "that's", "what's", "let", "let's", "get", "got", "getting", "make", "made", "go", "going",
    "gone", "went", "come", "came", "know", "see", "look", "like", "want", "need", "take", "give", "tell", "told", "said", "say", "says", "ask", "asked",
    "think", "thing", "things", "way", "well", "okay", "ok", "yes", "yeah", "yep", "right", "sure", "hi", "hello", "hey", "dear", "thanks", "thank",
    "please", "sorry", "apologise", "apologize", "apologies", "help", "helping", "issue", "issues", "problem", "problems", "customer", "service", "team",
    "account", "order", "number", "details", "today", "time", "times", "day", "days", "back", "bit", "lot", "um", "uh", "erm", "oh", "ah", "hmm",
    "understand", "hear", "sounds", "sound", "feel", "feeling", "glad", "happy", "great", "good", "fine", "able", "sort", "sorted", "check", "checked",
    "contact", "contacting", "reaching", "inconvenience", "patience", "regards", "kind", "best", "via", "per", "etc", "because", "while", "after",
    "before", "until", "since", "though", "although", "whether", "both", "each", "every", "few", "ago", "once", "twice", "whole", "anything",
    "something", "nothing", "everything", "someone", "anyone", "everyone", "nobody", "maybe", "actually", "basically", "literally", "honestly",
};

static const char *const number_words[] = {
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty",
    "fifty", "sixty", "hundred", "several", "multiple", "numerous", "countless", "many", "dozen", "dozens", "hundreds", "loads", "ten",
    "a few", "few", "forty-five", "twenty-four", "forty-eight", "seventy-two",
};

static const cue_family families[] = {
    FAMILY(CUE_POL_GRATITUDE, 1, pol_gratitude),
    FAMILY(CUE_POL_GREETING, 1, pol_greeting),
    FAMILY(CUE_POL_APOLOGY, 1, pol_apology),
    FAMILY(CUE_POL_PLEASE, 1, pol_please),
    FAMILY(CUE_POL_PLEASE_START, 1, pol_please_start),
    FAMILY(CUE_POL_HEDGE, 1, pol_hedge),
    FAMILY(CUE_POL_INDIRECT_REQUEST, 1, pol_indirect),
    FAMILY(CUE_POL_DEFERENCE, 1, pol_deference),
    FAMILY(CUE_POL_SUBJUNCTIVE, 1, pol_subjunctive),
    FAMILY(CUE_POL_FIRST_PERSON_PLURAL, 1, pol_1pl),
    FAMILY(CUE_POL_DIRECT_QUESTION, 1, pol_direct_question),
    FAMILY(CUE_POL_SECOND_PERSON_START, 1, pol_second_person_start),
    FAMILY(CUE_POL_FACTUALITY, 1, pol_factuality),
    FAMILY(CUE_POL_DIRECT_START, 1, pol_direct_start),
    FAMILY(CUE_POL_IMPOLITE, 1, pol_impolite),
    FAMILY(CUE_URGENCY_DEADLINE, 1, urg_deadline),
    FAMILY(CUE_URGENCY_NOW, 2, urg_now),
    FAMILY(CUE_URGENCY_REPEAT, 1, urg_repeat),
    FAMILY(CUE_URGENCY_LOSS, 2, urg_loss),
    FAMILY(CUE_URGENCY_SOME, 1, urg_some),
    FAMILY(CUE_BID_EMOTION, 1, bid_emotion),
    FAMILY(CUE_BID_HARDSHIP, 1, bid_hardship),
    FAMILY(CUE_BID_VULNERABILITY, 1, bid_vulnerability),
    FAMILY(CUE_BID_EFFORT, 1, bid_effort),
    FAMILY(CUE_ER_FORMULA, 1, er_formula),
    FAMILY(CUE_ER_WARM, 1, er_warm),
    FAMILY(CUE_INT_GENERIC, 1, int_generic),
    FAMILY(CUE_INT_SPECIFIC, 1, int_specific),
    FAMILY(CUE_EXP_GENERIC, 1, exp_generic),
    FAMILY(CUE_EXP_NEEDS, 2, exp_needs),
    FAMILY(CUE_EXP_PROCEDURAL, 1, exp_procedural),
    FAMILY(CUE_OWNERSHIP, 1, ownership),
    FAMILY(CUE_OWNERSHIP_TIME, 1, ownership_time),
    FAMILY(CUE_DISMISSIVE, 1, dismissive),
    FAMILY(CUE_DEFLECT, 1, deflect),
    FAMILY(CUE_EMO_FIRST + 0, 2, emo_admiration),
    FAMILY(CUE_EMO_FIRST + 1, 2, emo_amusement),
    FAMILY(CUE_EMO_FIRST + 2, 2, emo_anger),
    FAMILY(CUE_EMO_FIRST + 3, 2, emo_annoyance),
    FAMILY(CUE_EMO_FIRST + 4, 2, emo_approval),
    FAMILY(CUE_EMO_FIRST + 5, 2, emo_caring),
    FAMILY(CUE_EMO_FIRST + 6, 2, emo_confusion),
    FAMILY(CUE_EMO_FIRST + 7, 2, emo_curiosity),
    FAMILY(CUE_EMO_FIRST + 8, 2, emo_desire),
    FAMILY(CUE_EMO_FIRST + 9, 2, emo_disappointment),
    FAMILY(CUE_EMO_FIRST + 10, 2, emo_disapproval),
    FAMILY(CUE_EMO_FIRST + 11, 2, emo_disgust),
    FAMILY(CUE_EMO_FIRST + 12, 2, emo_embarrassment),
    FAMILY(CUE_EMO_FIRST + 13, 2, emo_excitement),
    FAMILY(CUE_EMO_FIRST + 14, 2, emo_fear),
    FAMILY(CUE_EMO_FIRST + 15, 2, emo_gratitude),
    FAMILY(CUE_EMO_FIRST + 16, 2, emo_grief),
    FAMILY(CUE_EMO_FIRST + 17, 2, emo_joy),
    FAMILY(CUE_EMO_FIRST + 18, 2, emo_love),
    FAMILY(CUE_EMO_FIRST + 19, 2, emo_nervousness),
    FAMILY(CUE_EMO_FIRST + 20, 2, emo_optimism),
    FAMILY(CUE_EMO_FIRST + 21, 2, emo_pride),
    FAMILY(CUE_EMO_FIRST + 22, 2, emo_realization),
    FAMILY(CUE_EMO_FIRST + 23, 2, emo_relief),
    FAMILY(CUE_EMO_FIRST + 24, 2, emo_remorse),
    FAMILY(CUE_EMO_FIRST + 25, 2, emo_sadness),
    FAMILY(CUE_EMO_FIRST + 26, 2, emo_surprise),
    FAMILY(CUE_SARCASM, 2, sarc_direct),
    FAMILY(CUE_SARC_OPENER, 2, sarc_opener),
    FAMILY(CUE_NEG_SITUATION, 1, neg_situation),
    FAMILY(CUE_EXP_BROAD, 2, exp_broad),
};

static const char *const cue_names[CUE_N] = {
    [CUE_POL_GRATITUDE] = "politeness.gratitude",
    [CUE_POL_GREETING] = "politeness.greeting",
    [CUE_POL_APOLOGY] = "politeness.apology",
    [CUE_POL_PLEASE] = "politeness.please",
    [CUE_POL_PLEASE_START] = "politeness.please_start",
    [CUE_POL_HEDGE] = "politeness.hedge",
    [CUE_POL_INDIRECT_REQUEST] = "politeness.indirect_request",
    [CUE_POL_DEFERENCE] = "politeness.deference",
    [CUE_POL_SUBJUNCTIVE] = "politeness.subjunctive",
    [CUE_POL_FIRST_PERSON_PLURAL] = "politeness.first_person_plural",
    [CUE_POL_DIRECT_QUESTION] = "politeness.direct_question",
    [CUE_POL_SECOND_PERSON_START] = "politeness.second_person_start",
    [CUE_POL_FACTUALITY] = "politeness.factuality",
    [CUE_POL_DIRECT_START] = "politeness.direct_start",
    [CUE_POL_IMPOLITE] = "politeness.impolite",
    [CUE_URGENCY_DEADLINE] = "urgency",
    [CUE_URGENCY_NOW] = "urgency",
    [CUE_URGENCY_REPEAT] = "urgency",
    [CUE_URGENCY_LOSS] = "urgency",
    [CUE_URGENCY_SOME] = "urgency",
    [CUE_BID_EMOTION] = "bid.emotion",
    [CUE_BID_HARDSHIP] = "bid.hardship",
    [CUE_BID_VULNERABILITY] = "bid.vulnerability",
    [CUE_BID_EFFORT] = "bid.effort",
    [CUE_ER_FORMULA] = "empathy.emotional_reaction",
    [CUE_ER_WARM] = "empathy.emotional_reaction",
    [CUE_INT_GENERIC] = "empathy.interpretation",
    [CUE_INT_SPECIFIC] = "empathy.interpretation",
    [CUE_EXP_GENERIC] = "empathy.exploration",
    [CUE_EXP_NEEDS] = "empathy.exploration",
    [CUE_EXP_PROCEDURAL] = "exploration.procedural",
    [CUE_OWNERSHIP] = "ownership",
    [CUE_OWNERSHIP_TIME] = "ownership",
    [CUE_DISMISSIVE] = "dismissive",
    [CUE_DEFLECT] = "dismissive.deflect",
    [CUE_EMO_FIRST + 0] = "emotion.admiration",
    [CUE_EMO_FIRST + 1] = "emotion.amusement",
    [CUE_EMO_FIRST + 2] = "emotion.anger",
    [CUE_EMO_FIRST + 3] = "emotion.annoyance",
    [CUE_EMO_FIRST + 4] = "emotion.approval",
    [CUE_EMO_FIRST + 5] = "emotion.caring",
    [CUE_EMO_FIRST + 6] = "emotion.confusion",
    [CUE_EMO_FIRST + 7] = "emotion.curiosity",
    [CUE_EMO_FIRST + 8] = "emotion.desire",
    [CUE_EMO_FIRST + 9] = "emotion.disappointment",
    [CUE_EMO_FIRST + 10] = "emotion.disapproval",
    [CUE_EMO_FIRST + 11] = "emotion.disgust",
    [CUE_EMO_FIRST + 12] = "emotion.embarrassment",
    [CUE_EMO_FIRST + 13] = "emotion.excitement",
    [CUE_EMO_FIRST + 14] = "emotion.fear",
    [CUE_EMO_FIRST + 15] = "emotion.gratitude",
    [CUE_EMO_FIRST + 16] = "emotion.grief",
    [CUE_EMO_FIRST + 17] = "emotion.joy",
    [CUE_EMO_FIRST + 18] = "emotion.love",
    [CUE_EMO_FIRST + 19] = "emotion.nervousness",
    [CUE_EMO_FIRST + 20] = "emotion.optimism",
    [CUE_EMO_FIRST + 21] = "emotion.pride",
    [CUE_EMO_FIRST + 22] = "emotion.realization",
    [CUE_EMO_FIRST + 23] = "emotion.relief",
    [CUE_EMO_FIRST + 24] = "emotion.remorse",
    [CUE_EMO_FIRST + 25] = "emotion.sadness",
    [CUE_EMO_FIRST + 26] = "emotion.surprise",
    [CUE_EMO_FIRST + 27] = "emotion.neutral",
    [CUE_SARCASM] = "sarcasm",
    [CUE_SARC_OPENER] = "sarcasm.opener",
    [CUE_NEG_SITUATION] = "sarcasm.negative_situation",
    [CUE_EXP_BROAD] = "empathy.exploration",
};

const char *heard_cue_name(heard_cue c)
{
    if ((unsigned)c >= CUE_N || !cue_names[c])
        return "cue";
    return cue_names[c];
}

/* ------------------------------------------------------------------ */
/* Compiled form                                                        */

enum elem_kind { E_LIT, E_STEM, E_NUM, E_TIME, E_DATE, E_ANY, E_GAP, E_SET };

/* Chain keys of patterns that start with a token class rather than a word. */
#define KEY_NUM 0x6e756d2d6b657921ull
#define KEY_TIME 0x74696d652d6b6579ull
#define KEY_DATE 0x646174652d6b6579ull
/* Trie key of a "**" gap: its child is keyed by the element after it. */
#define KEY_GAP 0x6761702d6b65792aull

typedef struct elem {
    uint64_t hash;
    uint8_t kind;
} elem;

enum pat_flag { PF_SENT_START = 1, PF_QUESTION = 2, PF_NONEG = 4, PF_END = 8 };
/* PF_NONEG is also set on patterns that start with their own negator ("no
 * wonder", "can't afford"): an earlier negator does not undo them. */

typedef struct pattern {
    uint32_t elem_off;
    uint16_t n_elem;
    uint16_t cue;
    int8_t strength;
    uint8_t flags;
} pattern;

/* Index of the patterns: a trie over their leading elements (words, stems,
 * token classes; a word set branches into its members once per pattern; a
 * "**" is an edge of its own, KEY_GAP, whose children are keyed by the
 * element after the gap). A pattern hangs on the node where its indexed
 * prefix ends (at a "*", its end, a second set or MAX_DEPTH). Matching
 * walks, from each token, only the edges that the following tokens spell,
 * and checks in full the patterns hanging on the nodes it reaches: every
 * pattern whose prefix occurs there and no other, instead of every pattern
 * that shares a common first word ("i", "you", "that"). The walk is a
 * filter only (try_pattern decides), so it may over-select, never miss. */
#define ROOTF_BITS (1u << 15) /* ~2k first keys */
#define KEYF_BITS (1u << 18)  /* ~30k keys */

typedef struct trie_node {
    uint32_t pat_off;   /* its patterns: tpats[pat_off .. pat_off + pat_len) */
    uint32_t child_off; /* its children: nodes child_off .. + n_child */
    uint16_t pat_len, n_child;
    uint32_t gap;       /* its child by KEY_GAP, 0 = none */
    uint32_t tab_off;   /* more than SMALL_NODE children: their hash table in kids */
} trie_node;

#define SMALL_NODE 8
#define KID_MASK_SLOTS 4 /* kid slots taken by a node's 512-bit key filter */

/* Slot of a child hash table of a node with many children: one probe
 * reads key and child together. */
typedef struct kid {
    uint64_t key;
    uint32_t child; /* 0 = empty (the root is nobody's child) */
} kid;

typedef struct edge {
    uint64_t key;   /* element key (see elem_key) */
    uint32_t node;  /* parent node + 1; 0 = empty slot */
    uint32_t child;
} edge;

typedef struct set_slot {
    uint64_t hash;   /* member's token hash */
    uint32_t set;    /* set id + 1; 0 = empty */
} set_slot;

struct heard_cues {
    elem *elems;
    size_t n_elems, cap_elems;
    pattern *pats;
    size_t n_pats, cap_pats;
    /* the trie, laid out breadth first once built so that the nodes near
     * the root, visited at every token, sit together: children of a node
     * are consecutive nodes and its patterns (with their elements) are
     * copied next to each other */
    edge *edges; /* while building: edges, open addressing on (node, key) */
    size_t edge_cap, n_edges;
    size_t n_nodes; /* node 0 is the root */
    trie_node *nodes;
    uint64_t *node_key; /* key of the edge into each node */
    pattern *tpats;     /* patterns in node order (elements in telems) */
    size_t n_tpats;
    elem *telems;
    uint32_t *root_tab; /* root's children by key, open addressing, 0 = empty */
    size_t root_cap;
    kid *kids; /* child tables of the nodes with many children */
    size_t n_kids;
    /* one-bit-per-hash filters, small enough to stay in cache where the
     * edge table is not: over the keys of the root's edges (most tokens
     * start no pattern) and over every edge key (a rare word, most stems) */
    uint64_t rootf[ROOTF_BITS / 64];
    uint64_t keyf[KEYF_BITS / 64];
    uint64_t *stop; /* stopword hash set, open addressing, 0 = empty */
    size_t stop_cap;
    uint64_t numwords[64];
    size_t n_numwords;
    uint64_t numtab[256]; /* number words as a hash set, 0 = empty */
    size_t n_skipped; /* table patterns that could not be compiled (a table bug) */
    /* word sets: a group of one-word alternatives after the first word
     * compiles to one set element instead of one pattern per alternative;
     * members are listed per set (set_hash) and looked up in set_tab */
    uint64_t *set_hash;
    size_t n_set_hash, cap_set_hash;
    struct { uint32_t off, len; } *sets;
    size_t n_sets, cap_sets;
    set_slot *set_tab; /* (set, member) hash set, open addressing */
    size_t set_tab_cap;
};

#define GAP_MAX 3
#define EXPAND_MAX 8192
#define PAT_BUF 4096
#define STEM_SALT 0x5bd1e9955bd1e995ull

static uint64_t stem_key(uint64_t h) { return heard_hash_combine(h, STEM_SALT); }

/* Elements of a literal chunk already tokenized: expanding the tables
 * produces the same few thousand words tens of thousands of times, and
 * tokenizing them was a fifth of the start-up. */
#define MEMO_SLOTS 16384 /* power of two; filled to half at most */
#define MEMO_STR 262144
#define MEMO_ELEMS 65536

typedef struct lit_memo {
    uint32_t str_off, str_len; /* the chunk in memo_str; str_len 0 = empty */
    uint32_t el_off;           /* its elements in memo_el */
    uint16_t n_el;
    uint8_t stem, neg_first;   /* looked up as a stem; first token a negator */
} lit_memo;

/* Compile-time scratch: the tokenizer used on pattern words. */
typedef struct compiler {
    heard_cues *c;
    heard_tokens toks;
    lit_memo *memo; /* NULL: every chunk is tokenized */
    size_t n_memo;
    char *memo_str;
    size_t n_memo_str;
    elem *memo_el;
    size_t n_memo_el;
    uint16_t cue;
    int8_t strength;
    uint8_t flags;
    size_t expansions;
    size_t elem_start; /* first element of the pattern being emitted */
    int neg_start;     /* its first word is a negator */
    int failed;
} compiler;

static int push_elem(heard_cues *c, uint8_t kind, uint64_t hash)
{
    if (c->n_elems == c->cap_elems) {
        /* the tables expand to about 340k elements: start near there
         * rather than copying the array ten times on the way */
        size_t ncap = c->cap_elems ? c->cap_elems * 2 : 1u << 19;
        elem *e = realloc(c->elems, ncap * sizeof *e);
        if (!e)
            return -1;
        c->elems = e;
        c->cap_elems = ncap;
    }
    c->elems[c->n_elems].kind = kind;
    c->elems[c->n_elems].hash = hash;
    c->n_elems++;
    return 0;
}

static lit_memo *memo_slot(compiler *k, const char *w, size_t len, int stem)
{
    size_t m = MEMO_SLOTS - 1;
    size_t j = (size_t)heard_hash_combine(heard_hash(w, len), (uint64_t)stem) & m;
    for (lit_memo *e; (e = &k->memo[j])->str_len; j = (j + 1) & m)
        if (e->str_len == len && e->stem == stem && memcmp(k->memo_str + e->str_off, w, len) == 0)
            return e;
    return &k->memo[j];
}

/* Append the tokens of one literal chunk as elements. */
static int push_literal(compiler *k, const char *w, size_t len, int stem)
{
    lit_memo *slot = k->memo && len ? memo_slot(k, w, len, stem) : NULL;
    if (slot && slot->str_len) {
        if (k->c->n_elems == k->elem_start && slot->neg_first)
            k->neg_start = 1;
        for (uint16_t i = 0; i < slot->n_el; i++) {
            const elem *e = &k->memo_el[slot->el_off + i];
            if (push_elem(k->c, e->kind, e->hash))
                return -1;
        }
        return 0;
    }
    if (heard_tokenize(&k->toks, w, len) != 0)
        return -1;
    size_t first = k->c->n_elems;
    for (size_t i = 0; i < k->toks.n; i++) {
        const heard_token *t = &k->toks.tok[i];
        if (k->c->n_elems == k->elem_start && (t->flags & TF_NEGATOR))
            k->neg_start = 1;
        int r = stem && t->type == TOK_WORD ? push_elem(k->c, E_STEM, t->stem_hash)
                                            : push_elem(k->c, E_LIT, t->hash);
        if (r)
            return -1;
    }
    size_t n = k->c->n_elems - first;
    if (slot && k->n_memo < MEMO_SLOTS / 2 && k->n_memo_str + len <= MEMO_STR &&
        k->n_memo_el + n <= MEMO_ELEMS && n <= UINT16_MAX) {
        memcpy(k->memo_str + k->n_memo_str, w, len);
        memcpy(k->memo_el + k->n_memo_el, k->c->elems + first, n * sizeof *k->memo_el);
        *slot = (lit_memo){(uint32_t)k->n_memo_str, (uint32_t)len, (uint32_t)k->n_memo_el,
                           (uint16_t)n, (uint8_t)stem,
                           (uint8_t)(k->toks.n > 0 && (k->toks.tok[0].flags & TF_NEGATOR))};
        k->n_memo_str += len;
        k->n_memo_el += n;
        k->n_memo++;
    }
    return 0;
}

/* One fully expanded pattern (no groups, no macros) into the pattern list. */
static void emit(compiler *k, const char *s)
{
    heard_cues *c = k->c;
    size_t off = c->n_elems;
    uint8_t flags = k->flags;
    k->elem_start = off;
    k->neg_start = 0;
    const char *p = s;
    while (*p && !k->failed) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        size_t len = (size_t)(e - p);
        int r = 0;
        if (*p == '^' && c->n_elems == off) {
            flags |= PF_SENT_START;
            p++;
            len--;
            if (!len) /* "^[a|b] c" without the option: "^" stands alone */
                continue;
        }
        if (len == 1 && *p == '*')
            r = push_elem(c, E_ANY, 0);
        else if (len == 2 && p[0] == '*' && p[1] == '*')
            r = push_elem(c, E_GAP, 0);
        else if (len == 1 && *p == '#')
            r = push_elem(c, E_NUM, 0);
        else if (len == 5 && memcmp(p, "@time", 5) == 0)
            r = push_elem(c, E_TIME, 0);
        else if (len == 5 && memcmp(p, "@date", 5) == 0)
            r = push_elem(c, E_DATE, 0);
        else if (*p == '{' && len > 2 && p[len - 1] == '}')
            r = push_elem(c, E_SET, strtoull(p + 1, NULL, 10));
        else if (*p == '~' && len > 1)
            r = push_literal(k, p + 1, len - 1, 1);
        else
            r = push_literal(k, p, len, 0);
        if (r)
            k->failed = 1;
        p = e;
    }
    size_t n = c->n_elems - off;
    /* A pattern must start with something a token can be keyed on; the
     * tokenizer stub (no tokens) also lands here. */
    if (k->failed || n == 0 || n > 255 || c->elems[off].kind > E_DATE ||
        c->elems[off + n - 1].kind == E_GAP) {
        c->n_elems = off;
        return;
    }
    if (c->n_pats == c->cap_pats) {
        size_t ncap = c->cap_pats ? c->cap_pats * 2 : 1u << 17; /* about 71k */
        pattern *np = realloc(c->pats, ncap * sizeof *np);
        if (!np) {
            k->failed = 1;
            return;
        }
        c->pats = np;
        c->cap_pats = ncap;
    }
    pattern *pt = &c->pats[c->n_pats++];
    pt->elem_off = (uint32_t)off;
    pt->n_elem = (uint16_t)n;
    pt->cue = k->cue;
    pt->strength = k->strength;
    pt->flags = flags | (k->neg_start ? PF_NONEG : 0);
}

/* Position of the first group opening at a word start, or NULL. */
static const char *find_group(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((*p == '(' || *p == '[') &&
            (p == s || p[-1] == ' ' || p[-1] == '(' || p[-1] == '[' || p[-1] == '|' ||
             p[-1] == '^' || (p[-1] >= 'a' && p[-1] <= 'z')))
            return p;
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* If the group g..close is a plain "(one|word|each)" group standing as its
 * own chunk after the first word, register it as a word set and return its
 * index; -1 otherwise (expanded the usual way). */
static long make_set(compiler *k, const char *s, const char *g, const char *close)
{
    heard_cues *c = k->c;
    if (*g != '(' || g == s || g[-1] != ' ' || (close[1] != ' ' && close[1] != 0))
        return -1;
    int words_before = 0;
    for (const char *p = s; p < g; p++)
        if (*p != ' ' && *p != '^')
            words_before = 1;
    if (!words_before)
        return -1;
    for (const char *p = g + 1; p < close; p++)
        if (strchr(" ()[]~*#@${}^", *p))
            return -1;
    size_t start = c->n_set_hash;
    const char *alt = g + 1;
    for (const char *p = g + 1; p <= close; p++) {
        if (p != close && *p != '|')
            continue;
        if (heard_tokenize(&k->toks, alt, (size_t)(p - alt)) != 0 || k->toks.n != 1) {
            c->n_set_hash = start;
            return -1;
        }
        if (c->n_set_hash == c->cap_set_hash) {
            size_t ncap = c->cap_set_hash ? c->cap_set_hash * 2 : 1024;
            uint64_t *nh = realloc(c->set_hash, ncap * sizeof *nh);
            if (!nh) {
                k->failed = 1;
                return -1;
            }
            c->set_hash = nh;
            c->cap_set_hash = ncap;
        }
        c->set_hash[c->n_set_hash++] = k->toks.tok[0].hash;
        alt = p + 1;
    }
    if (c->n_sets == c->cap_sets) {
        size_t ncap = c->cap_sets ? c->cap_sets * 2 : 256;
        void *ns = realloc(c->sets, ncap * sizeof *c->sets);
        if (!ns) {
            k->failed = 1;
            return -1;
        }
        c->sets = ns;
        c->cap_sets = ncap;
    }
    qsort(c->set_hash + start, c->n_set_hash - start, sizeof *c->set_hash, cmp_u64);
    c->sets[c->n_sets].off = (uint32_t)start;
    c->sets[c->n_sets].len = (uint32_t)(c->n_set_hash - start);
    return (long)c->n_sets++;
}

/* Expand the first group of s, recursing on each alternative. */
static void expand(compiler *k, const char *s)
{
    if (k->failed || ++k->expansions > EXPAND_MAX)
        return;
    const char *g = find_group(s);
    if (!g) {
        emit(k, s);
        return;
    }
    int depth = 0;
    const char *close = NULL;
    for (const char *p = g; *p; p++) {
        if (*p == '(' || *p == '[')
            depth++;
        else if (*p == ')' || *p == ']') {
            if (--depth == 0) {
                close = p;
                break;
            }
        }
    }
    if (!close) { /* unbalanced: treat as literal text */
        emit(k, s);
        return;
    }
    char buf[PAT_BUF];
    size_t pre = (size_t)(g - s);
    /* "(a|b)?" is another spelling of "[a|b]" */
    int optional = *g == '[' || close[1] == '?';
    const char *rest = close[1] == '?' ? close + 2 : close + 1;
    long set = optional ? -1 : make_set(k, s, g, close);
    if (set >= 0) {
        int w = snprintf(buf, sizeof buf, "%.*s{%ld}%s", (int)pre, s, set, close + 1);
        if (w > 0 && (size_t)w < sizeof buf)
            expand(k, buf);
        return;
    }
    const char *alt = g + 1;
    depth = 0;
    for (const char *p = g + 1; p <= close; p++) {
        if (p < close && (*p == '(' || *p == '['))
            depth++;
        else if (p < close && (*p == ')' || *p == ']'))
            depth--;
        if (p == close || (*p == '|' && depth == 0)) {
            size_t alen = (size_t)(p - alt);
            size_t post = strlen(rest);
            if (pre + alen + post + 1 < sizeof buf) {
                memcpy(buf, s, pre);
                memcpy(buf + pre, alt, alen);
                memcpy(buf + pre + alen, rest, post + 1);
                expand(k, buf);
            }
            alt = p + 1;
        }
    }
    if (optional && pre + strlen(rest) + 1 < sizeof buf) {
        memcpy(buf, s, pre);
        strcpy(buf + pre, rest);
        expand(k, buf);
    }
}

/* Replace $macros (one level, then recursively for nested macros). */
static int substitute(const char *s, char *out, size_t cap, int depth)
{
    size_t o = 0;
    for (const char *p = s; *p;) {
        if (*p == '$' && depth < 4) {
            const char *e = p + 1;
            while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9'))
                e++;
            size_t nl = (size_t)(e - p - 1);
            const char *rep = NULL;
            for (size_t m = 0; m < sizeof macros / sizeof macros[0]; m++)
                if (strlen(macros[m].name) == nl && memcmp(macros[m].name, p + 1, nl) == 0)
                    rep = macros[m].text;
            if (rep) {
                char tmp[PAT_BUF];
                if (substitute(rep, tmp, sizeof tmp, depth + 1) != 0)
                    return -1;
                size_t tl = strlen(tmp);
                if (o + tl >= cap)
                    return -1;
                memcpy(out + o, tmp, tl);
                o += tl;
                p = e;
                continue;
            }
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = *p++;
    }
    out[o] = 0;
    return 0;
}

static void compile_pattern(compiler *k, const char *pat, int8_t strength)
{
    k->strength = strength;
    k->flags = 0;
    k->expansions = 0;
    const char *p = pat;
    while (*p == '%') {
        char o = p[1];
        if (o >= '0' && o <= '9')
            k->strength = (int8_t)(o - '0');
        else if (o == 'q')
            k->flags |= PF_QUESTION;
        else if (o == 'n')
            k->flags |= PF_NONEG;
        else if (o == 'e')
            k->flags |= PF_END;
        p += 2;
        while (*p == ' ')
            p++;
    }
    char buf[PAT_BUF];
    size_t before = k->c->n_pats;
    if (substitute(p, buf, sizeof buf, 0) != 0) {
        k->c->n_skipped++; /* too long: a table bug, skipped rather than fatal */
        return;
    }
    expand(k, buf);
    if (k->c->n_pats == before || k->expansions > EXPAND_MAX) {
        k->c->n_skipped++;
#ifdef HEARD_CUES_DEBUG
        fprintf(stderr, "cue pattern skipped: %s\n", pat);
#endif
    }
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 64;
    while (c < n)
        c <<= 1;
    return c;
}

/* Index slots of a key: the key's bits mixed (keys of related words share
 * low bits after combining). */
static inline size_t mix_index(uint64_t key, size_t cap)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

/* Key of one element for the index; 0 when the element is not keyed
 * (any word, gap, set). */
static uint64_t elem_key(const elem *e)
{
    uint64_t k;
    switch (e->kind) {
    case E_LIT: k = e->hash; break;
    case E_STEM: k = stem_key(e->hash); break;
    case E_NUM: k = KEY_NUM; break;
    case E_TIME: k = KEY_TIME; break;
    case E_DATE: k = KEY_DATE; break;
    default: return 0;
    }
    return k ? k : 1;
}

static inline uint64_t edge_hash(uint32_t node, uint64_t key)
{
    return heard_hash_combine(key, (uint64_t)node * 0x9e3779b97f4a7c15ull);
}

static inline uint64_t bloom_bit(uint64_t h)
{
    return (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull >> 20;
}

static inline void filter_add(uint64_t *f, size_t bits, uint64_t k)
{
    uint64_t b = bloom_bit(k) & (bits - 1);
    f[b >> 6] |= 1ull << (b & 63);
}

static inline int filter_has(const uint64_t *f, size_t bits, uint64_t k)
{
    uint64_t b = bloom_bit(k) & (bits - 1);
    return (int)(f[b >> 6] >> (b & 63) & 1u);
}

static inline size_t kid_cap(uint32_t n_child)
{
    size_t cap = 16;
    while (cap < (size_t)n_child * 2)
        cap <<= 1;
    return cap;
}

/* Child of node (final layout) by key, or UINT32_MAX. */
static uint32_t child_find(const heard_cues *c, uint32_t node, uint64_t key)
{
    if (node == 0) {
        if (!filter_has(c->rootf, ROOTF_BITS, key))
            return UINT32_MAX;
        size_t m = c->root_cap - 1, j = mix_index(key, c->root_cap);
        for (; c->root_tab[j]; j = (j + 1) & m)
            if (c->node_key[c->root_tab[j]] == key)
                return c->root_tab[j];
        return UINT32_MAX;
    }
    const trie_node *nd = &c->nodes[node];
    if (nd->n_child <= SMALL_NODE) {
        const uint64_t *k = c->node_key + nd->child_off;
        for (uint32_t a = 0; a < nd->n_child; a++)
            if (k[a] == key)
                return nd->child_off + a;
        return UINT32_MAX;
    }
    /* a 512-bit filter of the children's keys precedes the table: for the
     * busy nodes ("i", "you", "that") it stays cached when the table does
     * not, and most lookups miss */
    const uint64_t *mask = (const uint64_t *)(c->kids + nd->tab_off);
    unsigned b = (unsigned)(bloom_bit(key) & 511u);
    if (!(mask[b >> 6] >> (b & 63) & 1u))
        return UINT32_MAX;
    size_t cap = kid_cap(nd->n_child), m = cap - 1;
    const kid *tab = c->kids + nd->tab_off + KID_MASK_SLOTS;
    for (size_t j = mix_index(key, cap); tab[j].child; j = (j + 1) & m)
        if (tab[j].key == key)
            return tab[j].child;
    return UINT32_MAX;
}

static inline unsigned key_bit(uint64_t k)
{
    return (unsigned)((k * 0x9e3779b97f4a7c15ull) >> 58);
}

static int edge_grow(heard_cues *c)
{
    size_t ncap = c->edge_cap ? c->edge_cap * 2 : 1u << 16;
    edge *ne = calloc(ncap, sizeof *ne);
    if (!ne)
        return -1;
    for (size_t i = 0; i < c->edge_cap; i++) {
        const edge *e = &c->edges[i];
        if (!e->node)
            continue;
        size_t j = mix_index(edge_hash(e->node - 1, e->key), ncap);
        while (ne[j].node)
            j = (j + 1) & (ncap - 1);
        ne[j] = *e;
    }
    free(c->edges);
    c->edges = ne;
    c->edge_cap = ncap;
    return 0;
}

/* Child of node by key, made when missing; UINT32_MAX on allocation
 * failure. */
static uint32_t edge_add(heard_cues *c, uint32_t node, uint64_t key)
{
    if ((c->n_edges + 1) * 2 > c->edge_cap && edge_grow(c))
        return UINT32_MAX;
    uint64_t h = edge_hash(node, key);
    size_t m = c->edge_cap - 1, j = mix_index(h, c->edge_cap);
    while (c->edges[j].node) {
        if (c->edges[j].node == node + 1 && c->edges[j].key == key)
            return c->edges[j].child;
        j = (j + 1) & m;
    }
    if (c->n_nodes >= UINT32_MAX - 1)
        return UINT32_MAX;
    c->edges[j] = (edge){key, node + 1, (uint32_t)c->n_nodes++};
    c->n_edges++;
    return c->edges[j].child;
}

#define MAX_DEPTH 5   /* concrete elements indexed per pattern */
#define SET_BRANCH 1024 /* larger word sets end the indexed prefix */

typedef struct placement {
    uint32_t node, pat;
} placement;

typedef struct placements {
    placement *v;
    size_t n, cap;
} placements;

static int place(placements *pl, uint32_t node, uint32_t pat)
{
    if (pl->n == pl->cap) {
        size_t ncap = pl->cap ? pl->cap * 2 : 1u << 16;
        placement *nv = realloc(pl->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        pl->v = nv;
        pl->cap = ncap;
    }
    pl->v[pl->n++] = (placement){node, pat};
    return 0;
}

/* File pattern pi below node, from its element d on. */
static int insert(heard_cues *c, placements *pl, uint32_t pi, uint32_t node, size_t d,
                  int used_set)
{
    const pattern *p = &c->pats[pi];
    if (d >= p->n_elem || d >= MAX_DEPTH)
        return place(pl, node, pi);
    const elem *e = &c->elems[p->elem_off + d];
    uint64_t k = e->kind == E_GAP ? KEY_GAP : elem_key(e);
    if (k) {
        uint32_t child = edge_add(c, node, k);
        return child == UINT32_MAX ? -1 : insert(c, pl, pi, child, d + 1, used_set);
    }
    if (e->kind == E_SET && !used_set && e->hash < c->n_sets &&
        c->sets[e->hash].len <= SET_BRANCH) {
        const uint64_t *mem = c->set_hash + c->sets[e->hash].off;
        for (uint32_t j = 0; j < c->sets[e->hash].len; j++) {
            uint32_t child = edge_add(c, node, mem[j] ? mem[j] : 1);
            if (child == UINT32_MAX || insert(c, pl, pi, child, d + 1, 1))
                return -1;
        }
        return 0;
    }
    return place(pl, node, pi);
}

typedef struct tri {
    uint64_t key;
    uint32_t child;
} tri;

/* Breadth-first layout of the built trie (see heard_cues). */
static int layout(heard_cues *c, placements *pl)
{
    size_t nn = c->n_nodes, ne = c->n_edges;
    tri *e = malloc((ne ? ne : 1) * sizeof *e);
    uint32_t *first = calloc(nn + 1, sizeof *first); /* old node -> first edge in e */
    uint32_t *nid = malloc(nn * sizeof *nid), *queue = malloc(nn * sizeof *queue);
    c->nodes = calloc(nn, sizeof *c->nodes);
    c->node_key = calloc(nn, sizeof *c->node_key);
    int bad = !e || !first || !nid || !queue || !c->nodes || !c->node_key;
    if (!bad) {
        /* edges grouped by parent (counting sort, in table order) */
        for (size_t i = 0; i < c->edge_cap; i++)
            if (c->edges[i].node)
                first[c->edges[i].node]++;
        for (size_t i = 0; i < nn; i++)
            first[i + 1] += first[i];
        for (size_t i = 0; i < c->edge_cap; i++) {
            const edge *x = &c->edges[i];
            if (x->node)
                e[first[x->node - 1]++] = (tri){x->key, x->child};
        }
        for (size_t i = nn; i > 0; i--)
            first[i] = first[i - 1];
        first[0] = 0;
        /* breadth first: the children of each node get consecutive ids */
        size_t head = 0, tail = 0, next = 1;
        nid[0] = 0;
        queue[tail++] = 0;
        while (head < tail) {
            uint32_t u = queue[head++];
            trie_node *nd = &c->nodes[nid[u]];
            nd->child_off = (uint32_t)next;
            if (first[u + 1] - first[u] > UINT16_MAX)
                bad = 1; /* a table bug: tens of thousands of continuations */
            nd->n_child = (uint16_t)(first[u + 1] - first[u]);
            for (uint32_t k = first[u]; k < first[u + 1]; k++) {
                nid[e[k].child] = (uint32_t)next;
                c->node_key[next++] = e[k].key;
                queue[tail++] = e[k].child;
            }
        }
        /* placements by new node (counting sort keeps pattern order) */
        placement *v = malloc((pl->n ? pl->n : 1) * sizeof *v);
        uint32_t *cnt = calloc(nn + 1, sizeof *cnt);
        if (v && cnt) {
            for (size_t i = 0; i < pl->n; i++)
                cnt[nid[pl->v[i].node] + 1]++;
            for (size_t i = 0; i < nn; i++)
                cnt[i + 1] += cnt[i];
            for (size_t i = 0; i < pl->n; i++) {
                uint32_t nd = nid[pl->v[i].node];
                v[cnt[nd]++] = (placement){nd, pl->v[i].pat};
            }
            free(pl->v);
            pl->v = v;
        } else {
            free(v);
            bad = 1;
        }
        free(cnt);
        /* patterns and their elements copied in node order */
        size_t ne2 = 0;
        for (size_t i = 0; i < pl->n; i++)
            ne2 += c->pats[pl->v[i].pat].n_elem;
        c->tpats = malloc((pl->n ? pl->n : 1) * sizeof *c->tpats);
        c->telems = malloc((ne2 ? ne2 : 1) * sizeof *c->telems);
        bad |= !c->tpats || !c->telems;
    }
    size_t eo = 0;
    for (size_t i = 0; !bad && i < pl->n; i++) {
        pattern p = c->pats[pl->v[i].pat];
        memcpy(c->telems + eo, c->elems + p.elem_off, p.n_elem * sizeof *c->telems);
        p.elem_off = (uint32_t)eo;
        eo += p.n_elem;
        c->tpats[i] = p;
        if (c->nodes[pl->v[i].node].pat_len == UINT16_MAX)
            bad = 1;
        else if (c->nodes[pl->v[i].node].pat_len++ == 0)
            c->nodes[pl->v[i].node].pat_off = (uint32_t)i;
    }
    c->n_tpats = bad ? 0 : pl->n;
    if (!bad) {
        uint32_t r = c->nodes[0].n_child;
        c->root_cap = pow2_at_least((size_t)r * 2 + 1);
        c->root_tab = calloc(c->root_cap, sizeof *c->root_tab);
        bad = !c->root_tab;
        for (uint32_t k = 1; !bad && k <= r; k++) {
            size_t j = mix_index(c->node_key[k], c->root_cap);
            while (c->root_tab[j])
                j = (j + 1) & (c->root_cap - 1);
            c->root_tab[j] = k;
            filter_add(c->rootf, ROOTF_BITS, c->node_key[k]);
        }
        for (size_t k = 1; k < nn; k++)
            filter_add(c->keyf, KEYF_BITS, c->node_key[k]);
        size_t nk = 0;
        for (size_t k = 1; k < nn; k++)
            if (c->nodes[k].n_child > SMALL_NODE)
                nk += KID_MASK_SLOTS + kid_cap(c->nodes[k].n_child);
        c->kids = calloc(nk ? nk : 1, sizeof *c->kids);
        bad = !c->kids;
        for (size_t k = 1; !bad && k < nn; k++) {
            trie_node *nd = &c->nodes[k];
            if (nd->n_child <= SMALL_NODE)
                continue;
            size_t cap = kid_cap(nd->n_child);
            nd->tab_off = (uint32_t)c->n_kids;
            uint64_t *mask = (uint64_t *)(c->kids + c->n_kids);
            kid *tab = c->kids + c->n_kids + KID_MASK_SLOTS;
            c->n_kids += KID_MASK_SLOTS + cap;
            for (uint32_t a = 0; a < nd->n_child; a++) {
                uint64_t key = c->node_key[nd->child_off + a];
                unsigned bb = (unsigned)(bloom_bit(key) & 511u);
                mask[bb >> 6] |= 1ull << (bb & 63);
                size_t j = mix_index(key, cap);
                while (tab[j].child)
                    j = (j + 1) & (cap - 1);
                tab[j] = (kid){key, nd->child_off + a};
            }
        }
        for (size_t k = 1; !bad && k < nn; k++) {
            uint32_t g = c->nodes[k].n_child ? child_find(c, (uint32_t)k, KEY_GAP) : UINT32_MAX;
            c->nodes[k].gap = g == UINT32_MAX ? 0 : g;
        }
    }
    free(e);
    free(first);
    free(nid);
    free(queue);
    free(c->edges); /* only needed while building */
    c->edges = NULL;
    c->edge_cap = c->n_edges = 0;
    return bad ? -1 : 0;
}

static int build_index(heard_cues *c)
{
    placements pl = {0};
    c->n_nodes = 1;
    int bad = 0;
    while (!bad && c->edge_cap < c->n_pats * 4) /* most patterns add a few edges */
        bad = edge_grow(c) != 0;
    for (size_t i = 0; i < c->n_pats && !bad; i++)
        bad = insert(c, &pl, (uint32_t)i, 0, 0, 0) != 0;
    if (!bad)
        bad = layout(c, &pl) != 0;
    free(pl.v);
    return bad ? -1 : 0;
}

/* Every (set, member) pair into one hash set, so that a set element is
 * checked with one probe. */
static int build_sets(heard_cues *c)
{
    c->set_tab_cap = pow2_at_least(c->n_set_hash * 2 + 1);
    c->set_tab = calloc(c->set_tab_cap, sizeof *c->set_tab);
    if (!c->set_tab)
        return -1;
    for (size_t s = 0; s < c->n_sets; s++)
        for (uint32_t j = 0; j < c->sets[s].len; j++) {
            uint64_t h = c->set_hash[c->sets[s].off + j];
            size_t m = c->set_tab_cap - 1;
            size_t x = mix_index(heard_hash_combine(h, s), c->set_tab_cap);
            while (c->set_tab[x].set && !(c->set_tab[x].set == s + 1 && c->set_tab[x].hash == h))
                x = (x + 1) & m;
            c->set_tab[x].hash = h;
            c->set_tab[x].set = (uint32_t)s + 1;
        }
    return 0;
}

static int set_has(const heard_cues *c, uint64_t set, uint64_t h)
{
    if (set >= c->n_sets || !c->set_tab_cap)
        return 0;
    size_t m = c->set_tab_cap - 1;
    size_t x = mix_index(heard_hash_combine(h, set), c->set_tab_cap);
    while (c->set_tab[x].set) {
        if (c->set_tab[x].set == set + 1 && c->set_tab[x].hash == h)
            return 1;
        x = (x + 1) & m;
    }
    return 0;
}

static int numword_has(const heard_cues *c, uint64_t h)
{
    size_t cap = sizeof c->numtab / sizeof c->numtab[0];
    if (h == 0)
        h = 1;
    size_t x = mix_index(h, cap);
    while (c->numtab[x]) {
        if (c->numtab[x] == h)
            return 1;
        x = (x + 1) & (cap - 1);
    }
    return 0;
}

static int build_stopwords(heard_cues *c, heard_tokens *toks)
{
    size_t n = sizeof stopwords / sizeof stopwords[0];
    c->stop_cap = pow2_at_least(n * 3);
    c->stop = calloc(c->stop_cap, sizeof *c->stop);
    if (!c->stop)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (heard_tokenize(toks, stopwords[i], strlen(stopwords[i])) != 0)
            return -1;
        for (size_t t = 0; t < toks->n; t++) {
            uint64_t h = toks->tok[t].hash ? toks->tok[t].hash : 1;
            size_t j = (size_t)h & (c->stop_cap - 1);
            while (c->stop[j] && c->stop[j] != h)
                j = (j + 1) & (c->stop_cap - 1);
            c->stop[j] = h;
        }
    }
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++) {
        if (heard_tokenize(toks, number_words[i], strlen(number_words[i])) != 0)
            return -1;
        if (toks->n == 1 && c->n_numwords < sizeof c->numwords / sizeof c->numwords[0]) {
            uint64_t h = toks->tok[0].hash ? toks->tok[0].hash : 1;
            c->numwords[c->n_numwords++] = h;
            size_t cap = sizeof c->numtab / sizeof c->numtab[0];
            size_t x = mix_index(h, cap);
            while (c->numtab[x] && c->numtab[x] != h)
                x = (x + 1) & (cap - 1);
            c->numtab[x] = h;
        }
    }
    return 0;
}

size_t heard_cues_count(const heard_cues *c, size_t *skipped)
{
    if (skipped)
        *skipped = c ? c->n_skipped : 0;
    return c ? c->n_pats : 0;
}

int heard_cues_stopword(const heard_cues *c, uint64_t hash)
{
    if (!c || !c->stop_cap)
        return 0;
    if (hash == 0)
        hash = 1;
    size_t j = (size_t)hash & (c->stop_cap - 1);
    while (c->stop[j]) {
        if (c->stop[j] == hash)
            return 1;
        j = (j + 1) & (c->stop_cap - 1);
    }
    return 0;
}

heard_cues *heard_cues_new(void)
{
    heard_cues *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    compiler k;
    memset(&k, 0, sizeof k);
    k.c = c;
    if (heard_tokens_init(&k.toks) != 0) {
        free(c);
        return NULL;
    }
    k.memo = calloc(MEMO_SLOTS, sizeof *k.memo);
    k.memo_str = malloc(MEMO_STR);
    k.memo_el = malloc(MEMO_ELEMS * sizeof *k.memo_el);
    if (!k.memo || !k.memo_str || !k.memo_el) { /* slower without, same result */
        free(k.memo);
        k.memo = NULL;
    }
    for (size_t f = 0; f < sizeof families / sizeof families[0] && !k.failed; f++) {
        k.cue = families[f].cue;
        for (size_t i = 0; i < families[f].n && !k.failed; i++)
            compile_pattern(&k, families[f].pats[i], families[f].strength);
    }
    int bad = k.failed || build_index(c) != 0 || build_sets(c) != 0 ||
              build_stopwords(c, &k.toks) != 0;
    heard_tokens_free(&k.toks);
    free(k.memo);
    free(k.memo_str);
    free(k.memo_el);
    if (bad) {
        heard_cues_free(c);
        return NULL;
    }
    return c;
}

void heard_cues_free(heard_cues *c)
{
    if (!c)
        return;
    free(c->elems);
    free(c->pats);
    free(c->edges);
    free(c->nodes);
    free(c->node_key);
    free(c->tpats);
    free(c->telems);
    free(c->root_tab);
    free(c->kids);
    free(c->set_tab);
    free(c->stop);
    free(c->set_hash);
    free(c->sets);
    free(c);
}

/* ------------------------------------------------------------------ */
/* Matching                                                             */

static int is_wordish(const heard_token *t)
{
    return t->type != TOK_PUNCT;
}

/* Punctuation the matcher steps over between pattern words. */
static int skippable(const heard_tokens *t, size_t i)
{
    const heard_token *k = &t->tok[i];
    if (k->type != TOK_PUNCT)
        return 0;
    size_t len;
    const char *s = heard_tok_norm(t, i, &len);
    if (len == 1 && (s[0] == ',' || s[0] == '-' || s[0] == ';' || s[0] == ':'))
        return 1;
    if ((len == 3 && (memcmp(s, "\xe2\x80\x94", 3) == 0 || memcmp(s, "\xe2\x80\x93", 3) == 0 ||
                      memcmp(s, "\xe2\x80\xa6", 3) == 0)) ||
        (len >= 2 && s[0] == '.' && s[1] == '.') || (len == 2 && s[0] == '-' && s[1] == '-'))
        return 1;
    return 0;
}

static int elem_ok(const heard_cues *c, const elem *e, const heard_token *t)
{
    switch (e->kind) {
    case E_LIT:
        return t->hash == e->hash;
    case E_STEM:
        return t->type == TOK_WORD && t->stem_hash == e->hash;
    case E_ANY:
        return is_wordish(t);
    case E_NUM:
        return t->type == TOK_NUMBER || numword_has(c, t->hash);
    case E_TIME:
        return t->type == TOK_TIME;
    case E_DATE:
        return t->type == TOK_DATE;
    case E_SET:
        return set_has(c, e->hash, t->hash);
    }
    return 0;
}

/* Match elements e[0..n) starting at token i (i is the first candidate
 * token for e[0]); returns the end token index (exclusive) or -1. */
static long match_rest(const heard_cues *c, const heard_tokens *t, const elem *e, size_t n,
                       size_t i, uint16_t sent)
{
    if (n == 0)
        return (long)i;
    if (e->kind == E_GAP) {
        size_t j = i;
        for (int g = 0; g <= GAP_MAX; g++) {
            long r = match_rest(c, t, e + 1, n - 1, j, sent);
            if (r >= 0)
                return r;
            while (j < t->n && skippable(t, j))
                j++;
            if (j >= t->n || t->tok[j].sent != sent || !is_wordish(&t->tok[j]) ||
                (t->tok[j].flags & TF_NEGATOR))
                return -1; /* a gap never swallows a negator: "I'm not angry" */
            j++;
        }
        return -1;
    }
    while (i < t->n && skippable(t, i) && !(e->kind == E_LIT && elem_ok(c, e, &t->tok[i])))
        i++;
    if (i >= t->n || t->tok[i].sent != sent || !elem_ok(c, e, &t->tok[i]))
        return -1;
    return match_rest(c, t, e + 1, n - 1, i + 1, sent);
}

static int hits_push(heard_cue_hits *h, const heard_cue_hit *x)
{
    if (h->n == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 64;
        heard_cue_hit *nh = realloc(h->hit, ncap * sizeof *nh);
        if (!nh)
            return -1;
        h->hit = nh;
        h->cap = ncap;
    }
    h->hit[h->n++] = *x;
    return 0;
}

static int ends_sentence(const heard_tokens *t, size_t end)
{
    return end >= t->n || t->tok[end].sent != t->tok[end - 1].sent ||
           t->tok[end].type == TOK_PUNCT;
}

/* Matches found at one token: the longest per cue (best[], indexed by
 * cue), and which cues have one (touched, in the order found). */
typedef struct match_state {
    heard_cue_hit best[CUE_N];
    uint8_t have[CUE_N];
    uint16_t touched[CUE_N];
    size_t n_touched;
} match_state;

/* Try pattern p at token i; keep the longest match per cue. */
static void try_pattern(const heard_cues *c, const elem *elems, const heard_tokens *t, size_t i,
                        const pattern *p, match_state *m)
{
    const heard_token *tok = &t->tok[i];
    if ((p->flags & PF_SENT_START) && !(tok->flags & TF_SENT_START))
        return;
    if ((p->flags & PF_QUESTION) && !(tok->flags & TF_QUESTION))
        return;
    if (!(p->flags & PF_NONEG) && (tok->flags & TF_NEGATED) && !(tok->flags & TF_NEGATOR))
        return;
    const elem *e = &elems[p->elem_off];
    if (!elem_ok(c, e, tok))
        return;
    long end = match_rest(c, t, e + 1, p->n_elem - 1u, i + 1, tok->sent);
    if (end < 0)
        return;
    if ((p->flags & PF_END) && !ends_sentence(t, (size_t)end))
        return;
    heard_cue_hit *b = &m->best[p->cue];
    if (!m->have[p->cue] || (uint32_t)end > b->last ||
        ((uint32_t)end == b->last && p->strength > b->strength)) {
        if (!m->have[p->cue])
            m->touched[m->n_touched++] = p->cue;
        m->have[p->cue] = 1;
        b->cue = p->cue;
        b->strength = p->strength;
        b->first = (uint32_t)i;
        b->last = (uint32_t)end;
    }
}

static inline int key_used(const heard_cues *c, uint64_t k)
{
    return filter_has(c->keyf, KEYF_BITS, k);
}

/* The index keys a token can stand for (its form, its stem, its class)
 * that some trie edge may use. */
static size_t token_keys(const heard_cues *c, const heard_token *tok, uint64_t *k)
{
    size_t n = 0;
    uint64_t h = tok->hash ? tok->hash : 1;
    if (key_used(c, h))
        k[n++] = h;
    if (tok->type == TOK_WORD) {
        uint64_t sk = stem_key(tok->stem_hash);
        sk = sk ? sk : 1;
        if (key_used(c, sk))
            k[n++] = sk;
    }
    if (tok->type == TOK_NUMBER || numword_has(c, tok->hash))
        k[n++] = KEY_NUM;
    else if (tok->type == TOK_TIME)
        k[n++] = KEY_TIME;
    else if (tok->type == TOK_DATE)
        k[n++] = KEY_DATE;
    return n;
}

static void try_node(const heard_cues *c, const heard_tokens *t, size_t i, uint32_t node,
                     match_state *m)
{
    const trie_node *nd = &c->nodes[node];
    for (uint32_t k = 0; k < nd->pat_len; k++)
        try_pattern(c, c->telems, t, i, &c->tpats[nd->pat_off + k], m);
}

#define WALK_MAX 64

typedef struct walk {
    uint32_t node, pos;
} walk;

#ifdef __GNUC__
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Index keys of the first KEY_CACHE tokens of a turn and the root's
 * children they lead to, computed once per turn rather than at every trie
 * node that looks at them. Filled in passes that prefetch what the next
 * pass reads: the trie is cold at every turn (the models sweep the caches),
 * and a turn's lookups overlap when issued together instead of one after
 * the other. */
#define KEY_CACHE 128
typedef struct key_cache {
    uint64_t k[KEY_CACHE][3];
    uint32_t root[KEY_CACHE][3]; /* root's child by k, or UINT32_MAX */
    uint8_t n[KEY_CACHE];
} key_cache;

static void key_cache_fill(const heard_cues *c, const heard_tokens *t, key_cache *kc)
{
    size_t n = t->n < KEY_CACHE ? t->n : KEY_CACHE;
    for (size_t j = 0; j < n; j++) {
        kc->n[j] = (uint8_t)token_keys(c, &t->tok[j], kc->k[j]);
        for (size_t a = 0; a < kc->n[j]; a++) {
            PREFETCH(&c->rootf[(bloom_bit(kc->k[j][a]) & (ROOTF_BITS - 1)) >> 6]);
            PREFETCH(&c->root_tab[mix_index(kc->k[j][a], c->root_cap)]);
        }
    }
    for (size_t j = 0; j < n; j++)
        for (size_t a = 0; a < kc->n[j]; a++) {
            uint32_t r = child_find(c, 0, kc->k[j][a]);
            kc->root[j][a] = r;
            if (r != UINT32_MAX)
                PREFETCH(&c->nodes[r]);
        }
    for (size_t j = 0; j < n; j++)
        for (size_t a = 0; a < kc->n[j]; a++) {
            uint32_t r = kc->root[j][a];
            if (r == UINT32_MAX)
                continue;
            PREFETCH(&c->node_key[c->nodes[r].child_off]);
            PREFETCH(&c->tpats[c->nodes[r].pat_off]);
        }
}

/* Push the children of node that token j spells; 0, or -1 when the walk
 * is full. */
static int push_children(const heard_cues *c, const heard_tokens *t, const key_cache *kc,
                         uint32_t node, size_t j, walk *st, size_t *n)
{
    uint64_t kb[3];
    const uint64_t *k = kb;
    size_t nk;
    if (j < KEY_CACHE) {
        k = kc->k[j];
        nk = kc->n[j];
    } else {
        nk = token_keys(c, &t->tok[j], kb);
    }
    for (size_t a = 0; a < nk; a++) {
        uint32_t child = child_find(c, node, k[a]);
        if (child == UINT32_MAX)
            continue;
        if (*n == WALK_MAX)
            return -1;
        PREFETCH(&c->nodes[child]);
        st[*n].node = child;
        st[(*n)++].pos = (uint32_t)j;
    }
    return 0;
}

/* All patterns that can start at token i: walk the trie along the tokens
 * that follow, trying the patterns of every node reached. An element after
 * the first may match the punctuation the matcher steps over or the first
 * token after it; the element after a "**" any token of the gap's window
 * (see match_rest). The walk only selects: try_pattern checks in full. */
static void match_at(const heard_cues *c, const heard_tokens *t, const key_cache *kc, size_t i,
                     match_state *m)
{
    walk st[WALK_MAX];
    size_t n = 0;
    if (i < KEY_CACHE) {
        for (size_t a = 0; a < kc->n[i]; a++)
            if (kc->root[i][a] != UINT32_MAX)
                st[n++] = (walk){kc->root[i][a], (uint32_t)i};
    } else if (push_children(c, t, kc, 0, i, st, &n)) {
        goto everything;
    }
    uint16_t sent = t->tok[i].sent;
    while (n) {
        uint32_t node = st[n - 1].node, pos = st[--n].pos;
        const trie_node *nd = &c->nodes[node];
        if (nd->pat_len)
            PREFETCH(&c->tpats[nd->pat_off]);
        /* the children first: the patterns arrive meanwhile (their order
         * does not matter, see try_pattern) */
        for (size_t j = (size_t)pos + 1; nd->n_child && j < t->n && t->tok[j].sent == sent; j++) {
            if (push_children(c, t, kc, node, j, st, &n))
                goto everything;
            if (!skippable(t, j))
                break;
        }
        try_node(c, t, i, node, m);
        if (!nd->gap)
            continue;
        try_node(c, t, i, nd->gap, m); /* patterns the gap's element does not key */
        if (!c->nodes[nd->gap].n_child)
            continue;
        size_t words = 0;
        for (size_t j = (size_t)pos + 1; j < t->n && t->tok[j].sent == sent; j++) {
            if (push_children(c, t, kc, nd->gap, j, st, &n))
                goto everything;
            const heard_token *k = &t->tok[j];
            if (skippable(t, j))
                continue;
            if (k->type == TOK_PUNCT || (k->flags & TF_NEGATOR) || ++words > GAP_MAX)
                break;
        }
    }
    return;
everything: /* pathological text: more open paths than the walk holds */
    for (size_t p = 0; p < c->n_pats; p++)
        try_pattern(c, c->elems, t, i, &c->pats[p], m);
}

/* Broad exploration hits become needs questions, or go, depending on
 * whether their sentence also asks for ticket facts; one that overlaps a
 * needs hit already there goes too. Order of the rest is kept. */
static void resolve_broad(const heard_tokens *t, heard_cue_hits *h)
{
    for (size_t a = 0; a < h->n; a++) {
        heard_cue_hit *x = &h->hit[a];
        if (x->cue != CUE_EXP_BROAD)
            continue;
        uint16_t s = t->tok[x->first].sent;
        int drop = 0;
        for (size_t b = 0; b < h->n && !drop; b++) {
            const heard_cue_hit *y = &h->hit[b];
            drop = (y->cue == CUE_EXP_PROCEDURAL && t->tok[y->first].sent == s) ||
                   (y->cue == CUE_EXP_NEEDS && y->first < x->last && x->first < y->last);
        }
        x->cue = drop ? CUE_N : CUE_EXP_NEEDS;
    }
    size_t w = 0;
    for (size_t a = 0; a < h->n; a++)
        if (h->hit[a].cue != CUE_N)
            h->hit[w++] = h->hit[a];
    h->n = w;
}

/* Sarcasm: a sentence-initial positive interjection with a negative
 * situation after it in the same sentence, or, when the opener stands alone
 * ("Great." / "Thanks a lot."), in the sentence before it (or, for
 * interjections of strength 2, the one after it). */
static int add_sarcasm(const heard_tokens *t, heard_cue_hits *h)
{
    size_t n0 = h->n;
    for (size_t a = 0; a < n0; a++) {
        const heard_cue_hit *o = &h->hit[a];
        if (o->cue != CUE_SARC_OPENER)
            continue;
        uint16_t s = t->tok[o->first].sent;
        const heard_sentence *st = &t->sent[s];
        size_t words = 0;
        for (size_t i = st->first; i < st->last; i++)
            words += t->tok[i].type != TOK_PUNCT;
        int alone = words <= (size_t)(o->last - o->first) + 1;
        int found = 0;
        for (size_t b = 0; b < n0 && !found; b++) {
            const heard_cue_hit *x = &h->hit[b];
            if (x->cue != CUE_NEG_SITUATION)
                continue;
            uint16_t xs = t->tok[x->first].sent;
            if (xs == s && x->first >= o->last)
                found = 1;
            else if (alone && (xs + 1 == s || (o->strength >= 2 && xs == s + 1)))
                found = 1;
        }
        if (found) {
            heard_cue_hit sh = *o;
            sh.cue = CUE_SARCASM;
            sh.strength = 1;
            if (hits_push(h, &sh))
                return -1;
        }
    }
    return 0;
}

/* Both matchers: through the trie, or (reference) every pattern at every
 * token. */
static int match_all(const heard_cues *c, const heard_tokens *toks, heard_cue_hits *hits,
                     int reference)
{
    hits->n = 0;
    if (!c || !c->n_nodes)
        return 0;
    match_state m;
    memset(m.have, 0, sizeof m.have);
    m.n_touched = 0;
    uint32_t covered[CUE_N]; /* end of the last hit kept per cue */
    memset(covered, 0, sizeof covered);
    key_cache kc;
    if (!reference)
        key_cache_fill(c, toks, &kc);
    for (size_t i = 0; i < toks->n; i++) {
        if (reference)
            for (size_t p = 0; p < c->n_pats; p++)
                try_pattern(c, c->elems, toks, i, &c->pats[p], &m);
        else
            match_at(c, toks, &kc, i, &m);
        /* hits of one token in cue order */
        for (size_t a = 1; a < m.n_touched; a++)
            for (size_t b = a; b > 0 && m.touched[b - 1] > m.touched[b]; b--) {
                uint16_t x = m.touched[b];
                m.touched[b] = m.touched[b - 1];
                m.touched[b - 1] = x;
            }
        for (size_t a = 0; a < m.n_touched; a++) {
            unsigned q = m.touched[a];
            m.have[q] = 0;
            if (m.best[q].last <= covered[q])
                continue;
            covered[q] = m.best[q].last;
            m.best[q].start = toks->tok[m.best[q].first].start;
            m.best[q].end = toks->tok[m.best[q].last - 1].end;
            if (hits_push(hits, &m.best[q]))
                return -1;
        }
        m.n_touched = 0;
    }
    resolve_broad(toks, hits);
    return add_sarcasm(toks, hits);
}

int heard_cues_match(const heard_cues *c, const heard_tokens *toks, const char *text,
                     heard_cue_hits *hits)
{
    (void)text;
    return match_all(c, toks, hits, 0);
}

int heard_cues_match_reference(const heard_cues *c, const heard_tokens *toks,
                               heard_cue_hits *hits)
{
    return match_all(c, toks, hits, 1);
}

void heard_cue_hits_free(heard_cue_hits *h)
{
    free(h->hit);
    h->hit = NULL;
    h->n = h->cap = 0;
}

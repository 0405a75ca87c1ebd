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
};
static const char *const urg_now[] = {
    "%2 (asap|a.s.a.p|a.s.a.p.)", "%2 as soon as (possible|you can|humanly possible)", "%2 right (now|away)",
    "%2 straight away", "%2 immediately", "%2 (urgent|urgently|urgency|emergency|emergencies)",
    "%2 as a matter of urgency", "%2 (please|pls|plz) hurry", "%2 hurry", "%2 (quick|quickly|fast) (please|pls|plz)",
    "%2 (need|needs|want) (it|this|help|someone|them|one|an engineer|a reply|an answer) (quick|quickly|fast)", "%2 as (quick|fast) as",
    "%2 (can|could|will|would) (you|someone|anyone) ** now", "%2 (anything|something|someone) now",
    "%2 (insulin|oxygen|epipen|epipens|epi-pen|dialysis|ventilator|life support|medical equipment|stair lift|stairlift)",
    "%2 (burst pipe|burst|flooding|flooded|water (pouring|everywhere|coming through)|gas leak|smell gas|smell of gas|smells of gas|sparking|sparks|on fire|smoke|carbon monoxide)",
    "%2 (heating|power|electricity|electric|water|gas|hot water|heat)('s| is|'s been| has been| is still| has gone| went| gone)? (off|out|down|cut off)",
    "%2 no (heating|heat|power|electricity|hot water|water|gas) (at all|since|for|and|with|in)",
    "%2 (stolen|been hacked|fraud|fraudulent|scammed|someone (has|is) using|not me) ", "%2 (turning|sending|losing) (people|customers|clients|guests) away",
    "%2 help (fast|now|quickly|urgently)", "%2 (need|needs|want) ** now", "%2 ^now", "%2 now !",
    "%2 (time sensitive|time-sensitive|time critical|life or death|critical)", "%2 (desperate|desperately)",
    "%2 running out of (time|battery|charge|money|medication|insulin|formula|food)",
    "%2 (every|any) minute", "%2 no time", "%2 $cant wait (any longer|much longer|another|until|till|for|that long|days|weeks|a week)",
    "%2 (stranded|stuck) (on|at|in|outside|here)", "%2 broken down", "%2 broke down",
    "%2 locked out", "%2 top priority",
};
static const char *const urg_repeat[] = {
    "%2 $ord (time|call|email|message|chat|attempt|request|complaint|contact|letter|engineer|visit|week|day|person|agent|advisor|adviser|department|one)",
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
};
static const char *const urg_loss[] = {
    "%2 (losing|lost|lose|lose out on|losing out on|missing out on) (money|work|business|clients|a client|customers|income|wages|pay|sales|orders|a day's|days of|my job|bookings|jobs|contracts|a contract|shifts|a shift|trade|earnings)",
    "%2 $cant (work|do my job|do my work|get any work done|get to work|trade|open|run my business|take payments|take card payments|log in to work)",
    "%2 unable to (work|trade|take payments)", "%2 (missing|missed|miss) (work|shifts|a shift|a day of work|meetings|a meeting|client calls|a client call|the call|deadlines|a deadline|my flight|the flight)",
    "%2 costing me (money|£|$|a fortune|#|business|clients|work)", "%2 (out of pocket|losing £|losing $)",
    "%2 my (business|shop|livelihood|income|clients|customers) ** (suffering|depends|relies|can't|cannot|losing)",
    "%1 (work from home|working from home|wfh|self-employed|freelance|freelancer|my business|small business)",
};
static const char *const urg_some[] = {
    "soon", "a while", "for ages", "for a while", "(several|a few|a couple of|couple of|#) (days|weeks|months) (ago|now|already)",
    "(since|from) [last] ($day|week|month|weekend|yesterday|last week|last month)", "been waiting",
    "waiting (for|on|since)", "any (update|updates|news|progress)", "when (will|can|do|is) ** (arrive|get|be|come|fixed|sorted|back|refund|done|happen)",
    "how (long|much longer)", "(chasing|following up|follow up|following-up)", "by now",
    "should (have|'ve) (arrived|been|come|got)", "was (supposed|meant|due) to", "overdue", "(is|was|running|arrived|came|turned up) late", "delayed",
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
};

/* --- agent: empathy mechanisms (EPITOME, Sharma et al. 2020) --- */
static const char *const er_formula[] = {
    "sorry for (the|any|this|that) (inconvenience|inconveniences|trouble|delay|delays|hassle|confusion|frustration|wait|issue|issues|problem|problems|disruption|disappointment|experience)",
    "(we|i) (apologise|apologize|apologies|apologised|apologized|regret) [for] (the|any|this) (inconvenience|inconveniences|trouble|delay|delays|hassle|confusion|disruption|frustration|issues|problems|issue|problem|wait)",
    "apologies for (the|any) (inconvenience|delay|trouble|wait|confusion|disruption|late reply|hassle|issues|frustration)",
    "(sorry|apologies) for (the|any) inconvenience [caused|this may have caused|this has caused|this may cause]",
    "any inconvenience [caused|this may have caused|this has caused|this may cause]", "(sorry|apologies) for the (late|slow|delayed) (reply|response)",
    "sorry (to hear|to learn|to read) (that|this|about that|about this|it)", "sorry about (that|this)", "$im sorry to hear", "$were sorry to hear", "sorry to hear you('ve|'re| have| are)",
    "sorry you('ve|'re| have| are) (had|been having|having|experienced|experiencing|facing|going through)", "thank you for your patience", "thanks for your patience",
    "thank you for (bearing|your patience) with (us|me)", "thank you for (contacting|reaching out to|getting in touch with|calling|writing to|messaging) (us|me)",
    "thanks for (contacting|reaching out|getting in touch|calling|writing in|messaging)", "we value (you|your custom|your business|our customers)",
    "we('re| are) sorry (for|to|about|that)", "our (sincere)? apologies", "(please)? accept (our|my) (sincere)? apologies", "(we|i) (sincerely)? apologise", "(we|i) (sincerely)? apologize",
    "i do apologise", "i do apologize", "my apologies", "we appreciate your (patience|understanding)", "i appreciate your (patience|understanding)",
    "sorry you feel", "sorry for (any|the) (frustration|upset|distress) (caused|this has caused|this may have caused)", "regret (any|the) (inconvenience|distress|upset)",
    "i'm sorry (about|for) (that|this|the trouble|the delay)", "sorry (about|for) the (wait|delay)", "unfortunately",
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
};
static const char *const exp_generic[] = {
    "(can|could|would) you tell me (more|a bit more|a little more|what happened|what's been happening|what has been happening|how (it|this|that) happened)", "tell me (more|a bit more|what happened)",
    "%q what happened", "how (has|did) (this|that|it) (affected|affect|impact|impacted)", "%q how did (that|this|it) happen", "%q what's been (going on|happening)", "walk me through",
    "%q how long has (this|it|that) been", "%q does that (work|help|cover you|sound okay|sound ok|sound good|make sense)", "%q (is|would) that (okay|ok|alright|all right) (with|for) you",
    "%q what (exactly)? (went wrong|happened)", "%q anything else (i|we) (can|should) (know|do)", "%q is there anything else", "%q what (else)? (can|could) (i|we) do",
};
static const char *const exp_needs[] = {
    "how are you (feeling|holding up|coping|doing|managing|getting on|bearing up)", "how are (you|the kids|things|they|he|she) (both|all|doing|coping|holding up)?",
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
    "is there anything (i|we) (can|could) do to (make|help|ease)", "is that something (that)? (matters|you'd|you would|you want|that would)", "would you (prefer|rather|like)",
    "what (time|day|date) (works|suits|would work|would suit) (best)? (for)? you", "%q how soon do you need", "%q is (that|this) (urgent|time-sensitive|pressing)",
    "%q how (is|are) (your|the) $kin", "%q (is|are) (your|the) $kin (okay|ok|alright|safe|well)", "%q do you (want|need) (me|us) to", "%q what would make",
    "%q (what|how) (can|could) (i|we) do to (help|make)", "%q is there (a|any) (reason|way) (i|we) can help",
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
    uint32_t next; /* next pattern with the same first key, UINT32_MAX ends */
} pattern;

typedef struct slot {
    uint64_t key;
    uint32_t head;
} slot;

struct heard_cues {
    elem *elems;
    size_t n_elems, cap_elems;
    pattern *pats;
    size_t n_pats, cap_pats;
    slot *table; /* open addressing on key; key 0 = empty */
    size_t table_cap;
    uint64_t *stop; /* stopword hash set, open addressing, 0 = empty */
    size_t stop_cap;
    uint64_t numwords[64];
    size_t n_numwords;
    size_t n_skipped; /* table patterns that could not be compiled (a table bug) */
    /* word sets: a group of one-word alternatives after the first word
     * compiles to one set element (sorted hashes) instead of one pattern
     * per alternative, which keeps the chains short */
    uint64_t *set_hash;
    size_t n_set_hash, cap_set_hash;
    struct { uint32_t off, len; } *sets;
    size_t n_sets, cap_sets;
};

#define GAP_MAX 3
#define EXPAND_MAX 8192
#define PAT_BUF 4096
#define STEM_SALT 0x5bd1e9955bd1e995ull

static uint64_t stem_key(uint64_t h) { return heard_hash_combine(h, STEM_SALT); }

/* Compile-time scratch: the tokenizer used on pattern words. */
typedef struct compiler {
    heard_cues *c;
    heard_tokens toks;
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
        size_t ncap = c->cap_elems ? c->cap_elems * 2 : 4096;
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

/* Append the tokens of one literal chunk as elements. */
static int push_literal(compiler *k, const char *w, size_t len, int stem)
{
    if (heard_tokenize(&k->toks, w, len) != 0)
        return -1;
    for (size_t i = 0; i < k->toks.n; i++) {
        const heard_token *t = &k->toks.tok[i];
        if (k->c->n_elems == k->elem_start && (t->flags & TF_NEGATOR))
            k->neg_start = 1;
        int r = stem && t->type == TOK_WORD ? push_elem(k->c, E_STEM, t->stem_hash)
                                            : push_elem(k->c, E_LIT, t->hash);
        if (r)
            return -1;
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
        if (*p == '^' && len > 1 && c->n_elems == off) {
            flags |= PF_SENT_START;
            p++;
            len--;
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
        size_t ncap = c->cap_pats ? c->cap_pats * 2 : 2048;
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
    pt->next = UINT32_MAX;
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

static slot *table_find(const heard_cues *c, uint64_t key)
{
    if (key == 0)
        key = 1;
    size_t m = c->table_cap - 1;
    size_t j = (size_t)key & m;
    while (c->table[j].key && c->table[j].key != key)
        j = (j + 1) & m;
    return &c->table[j];
}

static uint64_t first_key(const heard_cues *c, const pattern *p)
{
    const elem *e = &c->elems[p->elem_off];
    uint64_t k;
    switch (e->kind) {
    case E_STEM: k = stem_key(e->hash); break;
    case E_NUM: k = KEY_NUM; break;
    case E_TIME: k = KEY_TIME; break;
    case E_DATE: k = KEY_DATE; break;
    default: k = e->hash; break;
    }
    return k ? k : 1;
}

static int build_table(heard_cues *c)
{
    c->table_cap = pow2_at_least(c->n_pats * 2 + 1);
    c->table = calloc(c->table_cap, sizeof *c->table);
    if (!c->table)
        return -1;
    /* insert in reverse so chains keep table order (earlier = tried first) */
    for (size_t i = c->n_pats; i-- > 0;) {
        uint64_t key = first_key(c, &c->pats[i]);
        slot *s = table_find(c, key);
        if (!s->key) {
            s->key = key;
            s->head = UINT32_MAX;
        }
        c->pats[i].next = s->head;
        s->head = (uint32_t)i;
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
        if (toks->n == 1 && c->n_numwords < sizeof c->numwords / sizeof c->numwords[0])
            c->numwords[c->n_numwords++] = toks->tok[0].hash;
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
    for (size_t f = 0; f < sizeof families / sizeof families[0] && !k.failed; f++) {
        k.cue = families[f].cue;
        for (size_t i = 0; i < families[f].n && !k.failed; i++)
            compile_pattern(&k, families[f].pats[i], families[f].strength);
    }
    int bad = k.failed || build_table(c) != 0 || build_stopwords(c, &k.toks) != 0;
    heard_tokens_free(&k.toks);
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
    free(c->table);
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
        if (t->type == TOK_NUMBER)
            return 1;
        for (size_t i = 0; i < c->n_numwords; i++)
            if (c->numwords[i] == t->hash)
                return 1;
        return 0;
    case E_TIME:
        return t->type == TOK_TIME;
    case E_DATE:
        return t->type == TOK_DATE;
    case E_SET: {
        if (e->hash >= c->n_sets)
            return 0;
        const uint64_t *a = c->set_hash + c->sets[e->hash].off;
        size_t lo = 0, hi = c->sets[e->hash].len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (a[mid] < t->hash)
                lo = mid + 1;
            else if (a[mid] > t->hash)
                hi = mid;
            else
                return 1;
        }
        return 0;
    }
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

/* Try every pattern chained under key at token i; keep the longest match
 * per cue in best[] (indexed by cue). */
static void try_chain(const heard_cues *c, const heard_tokens *t, size_t i, uint64_t key,
                      heard_cue_hit *best, uint8_t *have)
{
    const slot *s = table_find(c, key);
    if (!s->key)
        return;
    const heard_token *tok = &t->tok[i];
    for (uint32_t pi = s->head; pi != UINT32_MAX; pi = c->pats[pi].next) {
        const pattern *p = &c->pats[pi];
        if ((p->flags & PF_SENT_START) && !(tok->flags & TF_SENT_START))
            continue;
        if ((p->flags & PF_QUESTION) && !(tok->flags & TF_QUESTION))
            continue;
        if (!(p->flags & PF_NONEG) && (tok->flags & TF_NEGATED) && !(tok->flags & TF_NEGATOR))
            continue;
        const elem *e = &c->elems[p->elem_off];
        if (!elem_ok(c, e, tok))
            continue;
        long end = match_rest(c, t, e + 1, p->n_elem - 1u, i + 1, tok->sent);
        if (end < 0)
            continue;
        if ((p->flags & PF_END) && !ends_sentence(t, (size_t)end))
            continue;
        heard_cue_hit *b = &best[p->cue];
        if (!have[p->cue] || (uint32_t)end > b->last ||
            ((uint32_t)end == b->last && p->strength > b->strength)) {
            have[p->cue] = 1;
            b->cue = p->cue;
            b->strength = p->strength;
            b->first = (uint32_t)i;
            b->last = (uint32_t)end;
        }
    }
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

int heard_cues_match(const heard_cues *c, const heard_tokens *toks, const char *text,
                     heard_cue_hits *hits)
{
    (void)text;
    hits->n = 0;
    if (!c || !c->table_cap)
        return 0;
    heard_cue_hit best[CUE_N];
    uint8_t have[CUE_N];
    uint32_t covered[CUE_N]; /* end of the last hit kept per cue */
    memset(covered, 0, sizeof covered);
    for (size_t i = 0; i < toks->n; i++) {
        const heard_token *tok = &toks->tok[i];
        memset(have, 0, sizeof have);
        try_chain(c, toks, i, tok->hash ? tok->hash : 1, best, have);
        if (tok->type == TOK_WORD)
            try_chain(c, toks, i, stem_key(tok->stem_hash), best, have);
        if (elem_ok(c, &(elem){0, E_NUM}, tok))
            try_chain(c, toks, i, KEY_NUM, best, have);
        else if (tok->type == TOK_TIME)
            try_chain(c, toks, i, KEY_TIME, best, have);
        else if (tok->type == TOK_DATE)
            try_chain(c, toks, i, KEY_DATE, best, have);
        for (unsigned q = 0; q < CUE_N; q++) {
            if (!have[q] || best[q].last <= covered[q])
                continue;
            covered[q] = best[q].last;
            best[q].start = toks->tok[best[q].first].start;
            best[q].end = toks->tok[best[q].last - 1].end;
            if (hits_push(hits, &best[q]))
                return -1;
        }
    }
    return add_sarcasm(toks, hits);
}

void heard_cue_hits_free(heard_cue_hits *h)
{
    free(h->hit);
    h->hit = NULL;
    h->n = h->cap = 0;
}

/* labels.c - the fixed vocabularies of the contract: GoEmotions labels,
 * channels, flags and status names, and the error-message helper. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "heard/heard.h"

heard_status heard_fail(heard_error *err, heard_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return st;
}

static const char *const emotion_names[HEARD_N_EMOTIONS] = {
    "admiration", "amusement", "anger", "annoyance", "approval", "caring",
    "confusion", "curiosity", "desire", "disappointment", "disapproval",
    "disgust", "embarrassment", "excitement", "fear", "gratitude", "grief",
    "joy", "love", "nervousness", "optimism", "pride", "realization",
    "relief", "remorse", "sadness", "surprise", "neutral"};

const char *heard_emotion_name(int index)
{
    if (index < 0 || index >= HEARD_N_EMOTIONS)
        return NULL;
    return emotion_names[index];
}

int heard_emotion_index(const char *name)
{
    for (int i = 0; i < HEARD_N_EMOTIONS; i++)
        if (strcmp(name, emotion_names[i]) == 0)
            return i;
    return -1;
}

static const char *const channel_names[HEARD_N_CHANNELS] = {
    "chat", "email", "phone", "in_person", "social"};

const char *heard_channel_name(heard_channel ch)
{
    if ((unsigned)ch >= HEARD_N_CHANNELS)
        return "chat";
    return channel_names[ch];
}

int heard_channel_parse(const char *name, heard_channel *out)
{
    for (int i = 0; i < HEARD_N_CHANNELS; i++)
        if (strcmp(name, channel_names[i]) == 0) {
            *out = (heard_channel)i;
            return 0;
        }
    return -1;
}

static const char *const flag_names[HEARD_N_FLAGS] = {
    "polite_not_empathetic", "dismissive", "urgent_wait", "escalated", "de_escalated"};

const char *heard_flag_name(unsigned bit_index)
{
    return bit_index < HEARD_N_FLAGS ? flag_names[bit_index] : NULL;
}

const char *heard_status_name(heard_status st)
{
    switch (st) {
    case HEARD_OK: return "ok";
    case HEARD_EINVAL: return "invalid input";
    case HEARD_EUTF8: return "invalid UTF-8";
    case HEARD_ELIMIT: return "limit exceeded";
    case HEARD_ENOMEM: return "out of memory";
    case HEARD_EMODEL: return "bad model";
    case HEARD_EIO: return "I/O error";
    }
    return "unknown error";
}

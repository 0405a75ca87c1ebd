/* survey.c - the empathy survey: a manager (or the agent of the
 * conversation) asks for a link; the customer opens /s/TOKEN, a plain,
 * accessible HTML form that works without JavaScript on any phone, and
 * answers once. Tokens are 192 random bits, stored only as hashes. Every
 * text shown in a page is HTML-escaped. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keys.h"
#include "sbuf.h"
#include "token.h"

#define COMMENT_MAX 4000

static const char *const CHANNELS[][2] = {
    {"phone", "Phone"}, {"chat", "Chat"}, {"email", "Email"}, {"in_person", "Face to face"}};
#define N_CHANNELS (sizeof CHANNELS / sizeof CHANNELS[0])

/* ------------------------------------------------------------------ create */

void h_survey_create(request *r)
{
    if (!req_auth(r, ROLE_AGENT))
        return;
    json_t *body = req_json_body(r);
    if (!body)
        return;
    const char *cid = json_string_value(json_object_get(body, "conversation_id"));
    if (!cid || !*cid) {
        json_decref(body);
        resp_error(r, 422, "invalid survey request",
                   json_string("\"conversation_id\" must be a non-empty string"));
        return;
    }
    db *d = r->srv->db;
    db_conn *c = req_db(r);
    char err[DB_ERRLEN];
    if (!c) {
        json_decref(body);
        return;
    }
    const char *p[] = {cid};
    db_rows rows;
    if (db_exec(d, c, "SELECT agent FROM conversations WHERE id = $1", p, 1, &rows, err) != DB_OK) {
        json_decref(body);
        resp_db_error(r, err);
        return;
    }
    const char *agent = db_cell(&rows, 0, 0);
    bool visible = rows.n_rows == 1 &&
                   (r->role != ROLE_AGENT || (agent && strcmp(agent, r->agent) == 0));
    db_rows_free(&rows);
    if (!visible) {
        resp_error(r, 404, "conversation not found", json_string(cid));
        json_decref(body);
        return;
    }
    char tok[48], hash[65], now[21];
    if (token_random(24, tok, sizeof tok) != 0) {
        json_decref(body);
        resp_error(r, 500, "no randomness available", NULL);
        return;
    }
    token_hash(tok, hash);
    token_now(now);
    const char *ins[] = {hash, cid, now};
    db_status st = db_begin(d, c, err);
    if (st == DB_OK)
        st = db_exec(d, c, "INSERT INTO surveys (token_hash, conversation_id, created_at)"
                           " VALUES ($1, $2, $3)", ins, 3, NULL, err);
    if (st == DB_OK)
        st = db_commit(d, c, err);
    else
        db_rollback(d, c);
    if (st != DB_OK) {
        json_decref(body);
        resp_db_error(r, err);
        return;
    }
    sbuf url = {0};
    if (r->srv->cfg.public_url) {
        sbuf_puts(&url, r->srv->cfg.public_url);
        if (url.len && url.data[url.len - 1] == '/')
            url.len--;
    } else {
        const char *host = req_header(r, "Host");
        sbuf_printf(&url, "http://%s", host ? host : "localhost");
    }
    sbuf_printf(&url, "/s/%s", tok);
    char *u = sbuf_take(&url, NULL);
    json_t *out = json_pack("{s:s,s:s,s:s}", "token", tok, "url", u ? u : "", "conversation_id",
                            cid);
    free(u);
    json_decref(body);
    resp_json(r, 201, out);
}

/* ------------------------------------------------------------------- pages */

static void page_head(sbuf *b, const char *title)
{
    sbuf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                 "<meta name=\"robots\" content=\"noindex\"><title>");
    sbuf_html(b, title);
    sbuf_puts(b, "</title><style>"
                 "body{font:1.05rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;"
                 "padding:1rem;color:#111;background:#fff}"
                 "fieldset{border:1px solid #888;border-radius:.4rem;margin:0 0 1.2rem;padding:.8rem}"
                 "legend{font-weight:600;padding:0 .3rem}"
                 ".opts{display:flex;flex-wrap:wrap;gap:.3rem}"
                 ".opts label{display:flex;align-items:center;gap:.35rem;min-height:2.75rem;"
                 "padding:0 .5rem;border:1px solid #bbb;border-radius:.4rem;cursor:pointer}"
                 "input[type=radio]{width:1.25rem;height:1.25rem}"
                 "textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit}"
                 "button{font:inherit;font-weight:600;padding:.7rem 1.4rem;border:0;"
                 "border-radius:.4rem;background:#0b57d0;color:#fff;cursor:pointer}"
                 ":focus-visible{outline:3px solid #e8710a;outline-offset:2px}"
                 ".hint{color:#444;font-size:.95rem}.error{color:#a50e0e;font-weight:600}"
                 "@media (prefers-color-scheme:dark){body{background:#111;color:#eee}"
                 ".hint{color:#bbb}fieldset,.opts label{border-color:#666}}"
                 "</style></head><body><main>\n");
}

static void page_end(sbuf *b) { sbuf_puts(b, "</main></body></html>\n"); }

static void scale(sbuf *b, const char *name, const char *question, const char *low,
                  const char *high)
{
    sbuf_printf(b, "<fieldset><legend>%s</legend><p class=\"hint\" id=\"%s-hint\">1 = ", question,
                name);
    sbuf_html(b, low);
    sbuf_puts(b, ", 5 = ");
    sbuf_html(b, high);
    sbuf_printf(b, "</p><div class=\"opts\" role=\"radiogroup\" aria-describedby=\"%s-hint\">",
                name);
    for (int i = 1; i <= 5; i++)
        sbuf_printf(b, "<label><input type=\"radio\" name=\"%s\" value=\"%d\">%d</label>", name, i,
                    i);
    sbuf_puts(b, "</div></fieldset>\n");
}

static void channels(sbuf *b, const char *name, const char *question)
{
    sbuf_printf(b, "<fieldset><legend>%s</legend><div class=\"opts\">", question);
    for (size_t i = 0; i < N_CHANNELS; i++)
        sbuf_printf(b, "<label><input type=\"radio\" name=\"%s\" value=\"%s\">%s</label>", name,
                    CHANNELS[i][0], CHANNELS[i][1]);
    sbuf_puts(b, "</div></fieldset>\n");
}

static void send_page(request *r, unsigned status, sbuf *b)
{
    size_t len;
    char *s = sbuf_take(b, &len);
    resp_raw(r, status, "text/html; charset=utf-8", s, len);
}

static void message_page(request *r, unsigned status, const char *title, const char *text)
{
    sbuf b = {0};
    page_head(&b, title);
    sbuf_puts(&b, "<h1>");
    sbuf_html(&b, title);
    sbuf_puts(&b, "</h1><p>");
    sbuf_html(&b, text);
    sbuf_puts(&b, "</p>");
    page_end(&b);
    send_page(r, status, &b);
}

static bool token_shape_ok(const char *t)
{
    size_t n = strlen(t);
    if (n < 16 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)t[i]) && t[i] != '-' && t[i] != '_')
            return false;
    return true;
}

/* 1: open, 0: answered already, -1: unknown token, -2: error answered. */
static int survey_state(request *r, const char *token, char hash[65], char **cid)
{
    if (!token_shape_ok(token))
        return -1;
    token_hash(token, hash);
    db_conn *c = req_db(r);
    if (!c)
        return -2;
    char err[DB_ERRLEN];
    const char *p[] = {hash};
    db_rows rows;
    if (db_exec(r->srv->db, c,
                "SELECT s.conversation_id, r.token_hash FROM surveys s LEFT JOIN survey_responses r"
                " ON r.token_hash = s.token_hash WHERE s.token_hash = $1",
                p, 1, &rows, err) != DB_OK) {
        resp_db_error(r, err);
        return -2;
    }
    int st = rows.n_rows == 0 ? -1 : db_cell(&rows, 0, 1) ? 0 : 1;
    if (cid && st >= 0)
        *cid = strdup(db_cell(&rows, 0, 0));
    db_rows_free(&rows);
    return st;
}

static void form_page(request *r, unsigned status, const char *token, const char *error)
{
    sbuf b = {0};
    page_head(&b, "How did we do?");
    sbuf_puts(&b, "<h1>How did we do?</h1><p>A few short questions about your recent "
                  "conversation with us. Every question is optional.</p>\n");
    if (error) {
        sbuf_puts(&b, "<p class=\"error\" role=\"alert\">");
        sbuf_html(&b, error);
        sbuf_puts(&b, "</p>\n");
    }
    sbuf_puts(&b, "<form method=\"post\" action=\"/s/");
    sbuf_html(&b, token);
    sbuf_puts(&b, "\">\n");
    scale(&b, "felt_heard", "Did you feel heard?", "not at all", "completely");
    scale(&b, "understood", "Did the agent understand your needs?", "not at all", "completely");
    scale(&b, "empathy_importance", "How important is empathy in customer service to you?",
          "not important", "very important");
    channels(&b, "channel_used", "Which channel did you use?");
    channels(&b, "urgent_channel", "If the matter were urgent, which channel would you choose?");
    sbuf_printf(&b, "<p><label for=\"comment\"><strong>What would have made you feel "
                    "understood?</strong></label><br><textarea id=\"comment\" name=\"comment\" "
                    "maxlength=\"%d\"></textarea></p>\n", COMMENT_MAX);
    sbuf_puts(&b, "<button type=\"submit\">Send</button></form>\n");
    page_end(&b);
    send_page(r, status, &b);
}

void h_survey_form(request *r, const char *token)
{
    char hash[65];
    int st = survey_state(r, token, hash, NULL);
    if (st == -2)
        return;
    if (st == -1)
        message_page(r, 404, "Survey not found",
                     "This survey link is not valid. Please check that you copied all of it.");
    else if (st == 0)
        message_page(r, 200, "Thank you", "This survey has already been answered.");
    else
        form_page(r, 200, token, NULL);
}

/* ----------------------------------------------------------------- answers */

typedef struct answers {
    int felt_heard, understood, importance; /* 0: not answered */
    char channel_used[16], urgent_channel[16];
    char *comment; /* malloc'd or NULL */
    bool simulated;
} answers;

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                            : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* In-place application/x-www-form-urlencoded decoding of [p, p+n). */
static size_t url_decode(char *p, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '+') {
            p[o++] = ' ';
        } else if (p[i] == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 &&
                   hexval(p[i + 2]) >= 0) {
            p[o++] = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
            i += 2;
        } else {
            p[o++] = p[i];
        }
    }
    return o;
}

static const char *set_rating(int *out, const char *v, const char *what)
{
    if (!v || !*v)
        return NULL;
    if (strlen(v) != 1 || v[0] < '1' || v[0] > '5')
        return what;
    *out = v[0] - '0';
    return NULL;
}

static const char *set_channel(char out[16], const char *v, const char *what)
{
    if (!v || !*v)
        return NULL;
    for (size_t i = 0; i < N_CHANNELS; i++)
        if (strcmp(v, CHANNELS[i][0]) == 0) {
            snprintf(out, 16, "%s", v);
            return NULL;
        }
    return what;
}

static const char *set_field(answers *a, const char *k, const char *v)
{
    if (strcmp(k, "felt_heard") == 0)
        return set_rating(&a->felt_heard, v, "Please rate \"did you feel heard\" from 1 to 5.");
    if (strcmp(k, "understood") == 0)
        return set_rating(&a->understood, v, "Please rate \"understood\" from 1 to 5.");
    if (strcmp(k, "empathy_importance") == 0)
        return set_rating(&a->importance, v, "Please rate importance from 1 to 5.");
    if (strcmp(k, "channel_used") == 0)
        return set_channel(a->channel_used, v, "Unknown channel.");
    if (strcmp(k, "urgent_channel") == 0)
        return set_channel(a->urgent_channel, v, "Unknown channel.");
    if (strcmp(k, "comment") == 0) {
        if (strlen(v) > COMMENT_MAX)
            return "The comment is too long.";
        free(a->comment);
        a->comment = *v ? strdup(v) : NULL;
        return NULL;
    }
    if (strcmp(k, "simulated") == 0) {
        a->simulated = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
        return NULL;
    }
    return NULL; /* unknown fields are ignored */
}

static const char *parse_form(request *r, answers *a)
{
    char *body = r->body;
    size_t n = r->body_len;
    const char *bad = NULL;
    size_t i = 0;
    while (i < n && !bad) {
        char *amp = memchr(body + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - body) : n;
        char *eq = memchr(body + i, '=', end - i);
        if (eq) {
            size_t kl = url_decode(body + i, (size_t)(eq - body) - i);
            char *k = strndup(body + i, kl);
            size_t vstart = (size_t)(eq - body) + 1;
            size_t vl = url_decode(body + vstart, end - vstart);
            char *v = strndup(body + vstart, vl);
            bad = k && v ? set_field(a, k, v) : "out of memory";
            free(k);
            free(v);
        }
        i = end + 1;
    }
    return bad;
}

static const char *parse_json(request *r, answers *a)
{
    json_error_t je;
    if (json_too_deep(r->body, r->body_len, r->srv->cfg.max_depth))
        return "JSON nested too deeply";
    json_t *o = json_loadb(r->body, r->body_len, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return "expected a JSON object";
    }
    const char *bad = NULL;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        char num[8];
        const char *s = json_string_value(v);
        if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%d", (int)(json_integer_value(v) % 100));
            s = num;
        } else if (json_is_boolean(v)) {
            s = json_is_true(v) ? "true" : "false";
        }
        if (s && !bad)
            bad = set_field(a, k, s);
    }
    json_decref(o);
    return bad;
}

void h_survey_answer(request *r, const char *token)
{
    const char *ct = req_header(r, "Content-Type");
    bool json = ct && strncasecmp(ct, "application/json", 16) == 0;
    char hash[65], *cid = NULL;
    int st = survey_state(r, token, hash, &cid);
    if (st == -2)
        return;
    if (st == -1) {
        json ? resp_error(r, 404, "survey not found", NULL)
             : message_page(r, 404, "Survey not found", "This survey link is not valid.");
        return;
    }
    if (st == 0) {
        free(cid);
        json ? resp_error(r, 409, "survey already answered", NULL)
             : message_page(r, 409, "Already answered",
                            "This survey has already been answered. Thank you!");
        return;
    }
    answers a = {0};
    const char *bad = r->body_len > 0 ? (json ? parse_json(r, &a) : parse_form(r, &a)) : NULL;
    if (!bad && a.simulated) {
        /* only a manager may load labelled simulated answers (make demo) */
        if (!req_auth(r, ROLE_MANAGER)) {
            free(cid);
            free(a.comment);
            return;
        }
    }
    if (bad) {
        json ? resp_error(r, 422, "invalid answer", json_string(bad)) : form_page(r, 422, token, bad);
        free(cid);
        free(a.comment);
        return;
    }
    char fh[4], un[4], im[4], now[21];
    snprintf(fh, sizeof fh, "%d", a.felt_heard);
    snprintf(un, sizeof un, "%d", a.understood);
    snprintf(im, sizeof im, "%d", a.importance);
    token_now(now);
    const char *p[] = {hash, cid, a.felt_heard ? fh : NULL, a.understood ? un : NULL,
                       a.importance ? im : NULL, a.channel_used[0] ? a.channel_used : NULL,
                       a.urgent_channel[0] ? a.urgent_channel : NULL, a.comment,
                       a.simulated ? "1" : "0", now};
    db *d = r->srv->db;
    db_conn *c = req_db(r);
    char err[DB_ERRLEN];
    db_status ds = c ? db_begin(d, c, err) : DB_ERROR;
    if (ds == DB_OK) {
        ds = db_exec(d, c,
                     "INSERT INTO survey_responses (token_hash, conversation_id, felt_heard,"
                     " understood, empathy_importance, channel_used, urgent_channel, comment,"
                     " simulated, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                     p, 10, NULL, err);
        if (ds == DB_OK)
            ds = db_commit(d, c, err);
        else
            db_rollback(d, c);
    }
    free(cid);
    free(a.comment);
    if (ds == DB_CONFLICT) {
        json ? resp_error(r, 409, "survey already answered", NULL)
             : message_page(r, 409, "Already answered",
                            "This survey has already been answered. Thank you!");
    } else if (ds != DB_OK) {
        if (!r->status)
            resp_db_error(r, err);
    } else {
        atomic_fetch_add(&r->srv->m.surveys_answered, 1);
        json ? resp_json(r, 201, json_pack("{s:b}", "stored", 1))
             : message_page(r, 200, "Thank you",
                            "Your answers have been saved. They help us understand what "
                            "matters to you.");
    }
}

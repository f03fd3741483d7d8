# METADATA
# title: The delivery path, as the per-user rules see it
# description: |
#   input.delivery holds, per channel ("sms", "email"), what the pool's
#   channel rules found about the hops every user of the pool shares (the
#   sender, the SNS or SES account, the identity): the findings whose
#   declared effect blocks the channel, those that endanger it, and those
#   that could not be settled because a source was not read. The engine
#   fills it from the rules' METADATA (custom.channel, custom.effect), so no
#   list of rule ids lives here. Per-user rules only.
package recoverscan.lib.delivery

import data.recoverscan.lib.recovery

# METADATA
# title: blocks
# description: The findings that stop every code on the channel.
blocks(name) := input.delivery[name].blocks

# METADATA
# title: endangers
# description: The findings that make a code on the channel uncertain.
endangers(name) := input.delivery[name].endangers

# METADATA
# title: unread
# description: The findings whose hop on the channel could not be read.
unread(name) := input.delivery[name].unread

# METADATA
# title: blocked
# description: Some finding stops every code on the channel.
blocked(name) if count(blocks(name)) > 0

# METADATA
# title: endangered
# description: Nothing stops the channel, but some finding makes a code on it uncertain.
endangered(name) if {
	not blocked(name)
	count(endangers(name)) > 0
}

# METADATA
# title: rules
# description: The ids of a list of findings, sorted.
rules(entries) := sort({entry.rule | some entry in entries})

# METADATA
# title: reasons
# description: The messages of a list of findings, in rule order.
reasons(entries) := [entry.message | some id in rules(entries); some entry in entries; entry.rule == id]

# METADATA
# title: label
# description: The channel's name in a sentence.
label(name) := recovery.channel_label[name]

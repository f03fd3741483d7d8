package collector

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

const actGetMetricData = "cloudwatch:GetMetricData"

// The CloudWatch metric SNS reports the month's SMS spend in: the running
// total of the calendar month (UTC), in USD.
const (
	spendNamespace = "AWS/SNS"
	spendMetric    = "SMSMonthToDateSpentUSD"
	// spendPeriod is one data point a day: a month is at most 31 points,
	// one page.
	spendPeriod = 86400
)

// monthStart is the first instant of t's calendar month in UTC.
func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// readSpend reads the month-to-date SMS spend of the region c is for, for
// the month of now: the highest value of SMSMonthToDateSpentUSD
// (statistic Maximum) from the first instant of the month to now. No data
// point means SNS sent nothing this month: 0.
func readSpend(ctx context.Context, c *cloudwatch.Client, now time.Time) snapshot.SMSSpend {
	now = now.UTC()
	start := monthStart(now)
	end := now
	if !end.After(start) {
		// GetMetricData wants a StartTime before its EndTime.
		end = start.Add(time.Second)
	}
	sp := snapshot.SMSSpend{Month: start.Format("2006-01")}
	const id = "spend"
	p := cloudwatch.NewGetMetricDataPaginator(c, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start),
		EndTime:   aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{{
			Id: aws.String(id),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{Namespace: aws.String(spendNamespace), MetricName: aws.String(spendMetric)},
				Period: aws.Int32(spendPeriod),
				Stat:   aws.String("Maximum"),
			},
			ReturnData: aws.Bool(true),
		}},
	})
	var highest float64
	status := cwtypes.StatusCode("")
	var messages []string
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			sp.Read = failed(actGetMetricData, err)
			return sp
		}
		for _, r := range out.MetricDataResults {
			if aws.ToString(r.Id) != id {
				continue
			}
			for _, v := range r.Values {
				highest = max(highest, v)
			}
			// A result is PartialData while pages follow; what counts is
			// how the last page ends, unless a page failed on the way.
			if status != cwtypes.StatusCodeInternalError && status != cwtypes.StatusCodeForbidden {
				status = r.StatusCode
			}
			for _, m := range r.Messages {
				messages = append(messages, aws.ToString(m.Code)+": "+aws.ToString(m.Value))
			}
		}
	}
	if status != cwtypes.StatusCodeComplete {
		st := snapshot.SourceError
		if status == cwtypes.StatusCodeForbidden {
			st = snapshot.SourceDenied
		}
		msg := fmt.Sprintf("GetMetricData answered StatusCode %q for %s %s", string(status), spendNamespace, spendMetric)
		if status == "" {
			msg = fmt.Sprintf("GetMetricData answered no result for %s %s", spendNamespace, spendMetric)
		}
		if len(messages) > 0 {
			msg += " (" + strings.Join(messages, "; ") + ")"
		}
		sp.Read = snapshot.Source{Status: st, Action: actGetMetricData, Error: redact(msg)}
		return sp
	}
	sp.Read = ok(actGetMetricData)
	sp.MonthToDateUSD = highest
	return sp
}

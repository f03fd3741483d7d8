package awstest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// cloudWatchPathPrefix is where the smithy RPC v2 CBOR protocol sends
// CloudWatch operations: POST /service/GraniteServiceVersion20100801/operation/<Op>.
const cloudWatchPathPrefix = "/service/GraniteServiceVersion20100801/operation/"

// cborEncoding encodes timestamps as RPC v2 CBOR wants them: tag 1
// around epoch seconds.
var cborEncoding = func() cbor.EncMode {
	em, err := cbor.EncOptions{Time: cbor.TimeUnixDynamic, TimeTag: cbor.EncTagRequired}.EncMode()
	if err != nil {
		panic(err)
	}
	return em
}()

// getMetricDataRequest is the part of a GetMetricData request the
// stand-in reads.
type getMetricDataRequest struct {
	MetricDataQueries []struct {
		Id         string
		MetricStat *struct {
			Metric struct {
				Namespace  string
				MetricName string
			}
			Period int64
			Stat   string
		}
	}
	StartTime time.Time
	EndTime   time.Time
	NextToken string
}

// writeCBORHeaders sets the headers of an RPC v2 CBOR answer.
func writeCBORHeaders(w http.ResponseWriter) {
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
}

// writeCBORError answers an RPC v2 CBOR request with an AWS error.
// CloudWatch is awsQueryCompatible: the query-protocol code travels in
// the X-Amzn-Query-Error header, which the SDK prefers for errors it does
// not model (AccessDenied, Throttling, ...).
func writeCBORError(w http.ResponseWriter, code string) {
	writeCBORHeaders(w)
	fault := "Sender"
	if errorStatus(code) >= 500 {
		fault = "Receiver"
	}
	w.Header().Set("X-Amzn-Query-Error", code+";"+fault)
	body, err := cborEncoding.Marshal(map[string]string{
		"__type":  "com.amazonaws.cloudwatch#" + code,
		"message": errorMessage,
	})
	if err != nil {
		panic(err)
	}
	w.WriteHeader(errorStatus(code))
	_, _ = w.Write(body)
}

// serveCloudWatch answers CloudWatch GetMetricData in RPC v2 CBOR from the
// region's SMS fixture: SMSFixture.Spend are the daily values of AWS/SNS
// SMSMonthToDateSpentUSD from StartTime on, PageSize to a page. Other
// metrics have no data points. It reports false for other operations.
func (s *standIn) serveCloudWatch(w http.ResponseWriter, op, region string, body []byte) bool {
	if op != "GetMetricData" {
		return false
	}
	var in getMetricDataRequest
	if err := cbor.Unmarshal(body, &in); err != nil {
		writeCBORError(w, "InvalidParameterValue")
		return true
	}
	if !in.StartTime.Before(in.EndTime) {
		writeCBORError(w, "InvalidParameterValue")
		return true
	}
	st := s.smsFixture(region)
	type result struct {
		Id         string
		Label      string
		StatusCode string
		Timestamps []time.Time
		Values     []float64
	}
	var results []result
	var next string
	for _, q := range in.MetricDataQueries {
		r := result{Id: q.Id, StatusCode: "Complete", Timestamps: []time.Time{}, Values: []float64{}}
		ms := q.MetricStat
		if ms == nil || ms.Metric.Namespace != "AWS/SNS" || ms.Metric.MetricName != "SMSMonthToDateSpentUSD" || ms.Stat != "Maximum" {
			results = append(results, r)
			continue
		}
		r.Label = ms.Metric.MetricName
		period := time.Duration(max(ms.Period, 60)) * time.Second
		from, to, nt := page(in.NextToken, len(st.Spend), s.state.PageSize)
		for i := from; i < to; i++ {
			r.Timestamps = append(r.Timestamps, in.StartTime.Add(time.Duration(i)*period).UTC())
			r.Values = append(r.Values, st.Spend[i])
		}
		if nt != "" {
			r.StatusCode, next = "PartialData", nt
		} else if st.SpendStatus != "" {
			r.StatusCode = st.SpendStatus
		}
		results = append(results, r)
	}
	resp := map[string]any{"MetricDataResults": results, "Messages": []any{}}
	if next != "" {
		resp["NextToken"] = next
	}
	out, err := cborEncoding.Marshal(resp)
	if err != nil {
		http.Error(w, fmt.Sprintf("stand-in: encode GetMetricData: %v", err), http.StatusInternalServerError)
		return true
	}
	writeCBORHeaders(w)
	_, _ = w.Write(out)
	return true
}

// cloudWatchOperation names the operation of an RPC v2 CBOR request to
// CloudWatch, "" for other requests.
func cloudWatchOperation(r *http.Request) string {
	op, found := strings.CutPrefix(r.URL.Path, cloudWatchPathPrefix)
	if !found || r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
		return ""
	}
	return op
}
